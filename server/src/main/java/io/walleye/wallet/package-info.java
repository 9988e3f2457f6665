/**
 * The wallet service: customers and businesses, wallets identified by a token, deposits, withdrawals, charges that are
 * never applied twice, refunds, history (failed attempts included) and statements, on an append-only operation log
 * with double-entry postings. The console and other modules use {@link io.walleye.wallet.WalletService} and
 * {@link io.walleye.wallet.Ledger}.
 */
@ApplicationModule(displayName = "Wallet")
@NullMarked
package io.walleye.wallet;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
