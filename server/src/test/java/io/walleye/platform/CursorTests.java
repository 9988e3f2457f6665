package io.walleye.platform;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CursorTests {

	@Test
	void roundTrips() {
		Instant at = Instant.parse("2026-01-02T03:04:05.123456Z");
		UUID id = UUID.randomUUID();
		Cursor cursor = Cursor.decode(Cursor.of(at, id).encode(), 2);
		assertThat(cursor.instant(0)).isEqualTo(at);
		assertThat(cursor.uuid(1)).isEqualTo(id);
	}

	@Test
	void garbageIsInvalidCursor() {
		assertThatThrownBy(() -> Cursor.decode("%%%", 2)).isInstanceOfSatisfying(ApiException.class,
				ex -> assertThat(ex.code()).isEqualTo("invalid_cursor"));
		assertThatThrownBy(() -> Cursor.decode(Cursor.of("only-one").encode(), 2)).isInstanceOf(ApiException.class);
	}

	@Test
	void pageKeepsLimitAndPointsPastTheLastItem() {
		Page<Integer> page = Page.of(List.of(1, 2, 3), 2, n -> Cursor.of(n));
		assertThat(page.items()).containsExactly(1, 2);
		assertThat(Cursor.decode(page.nextCursor(), 1).number(0)).isEqualTo(2);
		assertThat(Page.of(List.of(1, 2), 2, n -> Cursor.of(n)).nextCursor()).isNull();
	}

	@Test
	void limitIsBounded() {
		assertThat(PageRequest.of(null, null).limit()).isEqualTo(50);
		assertThatThrownBy(() -> PageRequest.of(501, null)).isInstanceOf(ApiException.class);
		assertThatThrownBy(() -> PageRequest.of(0, null)).isInstanceOf(ApiException.class);
	}
}
