package dev.twinflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DashboardPageTest {

    static String resource(String path) throws IOException {
        try (InputStream in = DashboardPageTest.class.getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void thePageLoadsTheEchartsVersionThatPomXmlPutsInTheJar() throws IOException {
        Matcher script =
                Pattern.compile("<script src=\"(_static/echarts/[^\"]+)\"").matcher(resource("/static/index.html"));

        assertThat(script.find()).as("index.html loads ECharts from the jar").isTrue();
        // a version bump in pom.xml without the page (or the other way round) fails here, not in a browser
        assertThat(DashboardPageTest.class.getResource("/META-INF/resources/" + script.group(1)))
                .as(script.group(1))
                .isNotNull();
    }

    @Test
    void thePageNeedsNothingFromOutsideTheApp() throws IOException {
        assertThat(resource("/static/index.html") + resource("/static/dashboard.js"))
                .doesNotContain("http://", "https://", "//cdn");
    }
}
