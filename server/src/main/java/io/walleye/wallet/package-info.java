/**
 * The wallet service: customers and businesses, wallets identified by a token, deposits, withdrawals, charges that are
 * never applied twice, refunds, history (failed attempts included) and statements, on an append-only operation log
 * with double-entry postings. Its facade: {@link io.walleye.wallet.Registrations} (sign-up, wallets),
 * {@link io.walleye.wallet.Movements} and {@link io.walleye.wallet.Charges} (money commands, which post through the one
 * journal), {@link io.walleye.wallet.WalletQueries} (reads) and {@link io.walleye.wallet.Ledger} (verification).
 */
@ApplicationModule(displayName = "Wallet")
@NullMarked
package io.walleye.wallet;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
