package dev.twinflow.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The forward-generated-records route: one POST per record, each a JSON object, to the listener URL. */
@CamelSpringBootTest
@UseAdviceWith
// each IT class brings its own engines and data dir: close them with the class
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ForwardGeneratedRecordsRouteIT {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("twinflow.data-dir", () -> dataDir.toString());
        registry.add("twinflow.sender.listener-url", () -> "http://listener.invalid:5001/receive");
    }

    @Autowired
    CamelContext camel;

    @Autowired
    ProducerTemplate producer;

    @Test
    void postsEachRecordOnItsOwnToTheListener() throws Exception {
        AdviceWith.adviceWith(camel, "forward-generated-records", a -> a.interceptSendToEndpoint(
                        "http://listener.invalid:5001/receive")
                .skipSendToOriginalEndpoint()
                .to("mock:listener"));
        camel.start();
        MockEndpoint listener = camel.getEndpoint("mock:listener", MockEndpoint.class);
        listener.expectedMessageCount(3);
        listener.expectedHeaderReceived(Exchange.HTTP_METHOD, "POST");
        listener.expectedHeaderReceived(Exchange.CONTENT_TYPE, "application/json");

        List<byte[]> records = List.of(
                "{\"id\":0}".getBytes(StandardCharsets.UTF_8),
                "{\"id\":1}".getBytes(StandardCharsets.UTF_8),
                "{\"id\":2}".getBytes(StandardCharsets.UTF_8));
        producer.sendBody("seda:forward-generated-records", new DataSet.Batch("user", records));

        listener.assertIsSatisfied(10_000);
        assertThat(listener.getExchanges().stream()
                        .map(e -> e.getMessage().getBody(String.class))
                        .toList())
                .containsExactlyInAnyOrder("{\"id\":0}", "{\"id\":1}", "{\"id\":2}");
    }
}
