package io.walleye.webhooks;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.walleye.webhooks.domain.RetrySchedule;
import io.walleye.webhooks.domain.UrlPolicy;

@Configuration(proxyBeanMethods = false)
class WebhooksConfiguration {

	@Bean
	UrlPolicy webhookUrlPolicy(WebhooksProperties properties) {
		return new UrlPolicy(properties.allowHttp(), properties.allowPrivate(), UrlPolicy.SYSTEM);
	}

	@Bean
	RetrySchedule webhookRetrySchedule(WebhooksProperties properties) {
		return new RetrySchedule(properties.retrySchedule());
	}
}
