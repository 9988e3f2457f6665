package io.walleye.eye.web;

import java.time.Duration;

/**
 * Where the browser intake's limits are counted: the platform's limiter ({@link PlatformRateLimiter}), per node or
 * cluster-wide; the endpoint knows only this.
 */
interface RateLimiter {

	/**
	 * Takes one request from the bucket named {@code bucket}, which refills {@code perSecond} requests a second.
	 * @return zero when the request may go ahead, else how long until it could
	 */
	Duration tryConsume(String bucket, int perSecond);
}
