package dev.twinflow.generate;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The thread pool {@code forward-generated-records} POSTs with. */
@Configuration(proxyBeanMethods = false)
class SenderConfiguration {

    @Bean(destroyMethod = "shutdown")
    ExecutorService forwardPool(SenderProperties sender) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(sender.concurrency(), r -> {
            Thread t = new Thread(r, "forward-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
