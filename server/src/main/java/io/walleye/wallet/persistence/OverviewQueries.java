package io.walleye.wallet.persistence;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Per-minute figures for the operators' overview; served by {@code operations_created (created_at)}. */
@Repository
public class OverviewQueries {

	/** Counts and minor-unit sums per minute, keyed by a series name. */
	public record PerMinute(Map<String, Map<Instant, Long>> counts, Map<String, Map<Instant, BigDecimal>> volumes) {
	}

	private final JdbcClient jdbc;

	OverviewQueries(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Charges by status, accepted deposits, and accepted EUR volume of deposits and charges, per minute. */
	public PerMinute perMinute(Instant from) {
		Map<String, Map<Instant, Long>> counts = new HashMap<>();
		Map<String, Map<Instant, BigDecimal>> volumes = new HashMap<>();
		jdbc.sql("""
				select date_trunc('minute', created_at) as minute, type, status, count(*) as n,
				       coalesce(sum(amount) filter (where currency = 'EUR'), 0) as eur
				  from operations
				 where created_at >= :from
				 group by 1, 2, 3
				""").param("from", Timestamp.from(from)).query((rs, n) -> {
			Instant minute = rs.getTimestamp("minute").toInstant();
			String type = rs.getString("type");
			String status = rs.getString("status");
			counts.computeIfAbsent(type + "/" + status, k -> new HashMap<>()).put(minute, rs.getLong("n"));
			if (status.equals("accepted")) {
				volumes.computeIfAbsent(type, k -> new HashMap<>())
					.put(minute, rs.getBigDecimal("eur").movePointLeft(2));
			}
			return null;
		}).list();
		return new PerMinute(counts, volumes);
	}

	public long count(String table) {
		if (!table.matches("customers|businesses|wallets")) {
			throw new IllegalArgumentException(table);
		}
		return jdbc.sql("select count(*) from " + table).query(Long.class).single();
	}
}
