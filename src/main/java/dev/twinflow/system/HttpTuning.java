package dev.twinflow.system;

import org.springframework.context.annotation.Configuration;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Per-request savings on the platform-http path, found by profiling {@code POST /receive}.
 *
 * <p>Spring MVC validates handler-method arguments with Bean Validation when a provider is present
 * (it is, for the {@code @Validated} settings). The Camel platform-http handler has no such
 * arguments, yet Spring scanned its annotations on every request (6% of the CPU under load). The
 * routes check their own input, so MVC gets a validator that does nothing; settings validation is
 * separate and unaffected.
 */
@Configuration(proxyBeanMethods = false)
class HttpTuning implements WebMvcConfigurer {

    @Override
    public Validator getValidator() {
        return new Validator() {
            @Override
            public boolean supports(Class<?> type) {
                return false;
            }

            @Override
            public void validate(Object target, Errors errors) {}
        };
    }
}
