package io.walleye.wallet;

import java.time.Instant;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/** Which operations of a wallet to list: types and statuses (empty = all), and a half-open time range [from, to). */
public record HistoryFilter(Set<String> types, Set<String> statuses, @Nullable Instant from, @Nullable Instant to) {

	public static final HistoryFilter ALL = new HistoryFilter(Set.of(), Set.of(), null, null);
}
