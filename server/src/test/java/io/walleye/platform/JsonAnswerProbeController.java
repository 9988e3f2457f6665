package io.walleye.platform;

import java.util.Collections;
import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Test-only: a JSON answer of a chosen size, to see how answers around the converter's buffer go on the wire. */
@RestController
@RequestMapping("/api/v1/test-json")
class JsonAnswerProbeController {

	/** {@code count} copies of a 10-character string: {@code ["0123456789",…]}, 13 bytes per item after the first. */
	@GetMapping("/{count}")
	List<String> items(@PathVariable int count) {
		return Collections.nCopies(count, "0123456789");
	}
}
