package io.jobpilot.runtime;

import io.jobpilot.config.JobpilotConfig;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What jobpilot-core brings a host: its routes and defaults on the classpath, and no logging of its own. */
class LibraryArtifactTest {
    private static final ClassLoader LOADER = LibraryArtifactTest.class.getClassLoader();

    @Test
    void everyRouteFileIsLoadedFromTheClasspathAndNoneIsLeftOut() throws Exception {
        List<String> loaded = new RouteFiles(WorkflowCatalog.workflows(JobpilotConfig.of(java.util.Map.of())), null)
                .files(List.of(RouteFiles.CALLBACKS, io.jobpilot.schedule.ScheduleFires.TEMPLATE_ROUTES)).stream().map(location -> location.substring("classpath:".length())).toList();
        loaded.forEach(resource -> assertThat(LOADER.getResource(resource)).as(resource).isNotNull());
        Path root = folder(RouteFiles.ROOT);
        try (Stream<Path> files = Files.walk(root)) {
            List<String> shipped = files.filter(f -> f.toString().endsWith(".camel.yaml")).map(f -> RouteFiles.ROOT + root.relativize(f)).toList();
            assertThat(loaded).containsExactlyInAnyOrderElementsOf(shipped);
        }
    }

    @Test
    void theDefaultsAreOnTheClasspath() {
        assertThat(JobpilotConfig.defaults()).containsEntry("jobpilot.run.timeout", "12h").containsKey("jobpilot.exago.rest-key");
    }

    @Test
    void theComponentDescribesItsOptionsToCamelsCatalog() throws Exception {
        try (var in = LOADER.getResourceAsStream("META-INF/io/jobpilot/component/jobpilot.json")) {
            assertThat(in).as("camel-component-maven-plugin's metadata").isNotNull();
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
            assertThat(json.path("component").path("scheme").asText()).isEqualTo("jobpilot");
            assertThat(json.path("properties").fieldNames()).toIterable().contains("workflow", "runId", "timeout", "onTimeout", "notifyUrl", "throwOnFailure");
            assertThat(json.path("componentProperties").fieldNames()).toIterable().contains("timeout", "onTimeout", "notifyUrl", "throwOnFailure");
        }
    }

    @Test
    void noLoggingBindingNorConfiguration() {
        for (String config : List.of("log4j2.properties", "log4j2.xml", "logback.xml", "simplelogger.properties")) {
            assertThat(LOADER.getResource(config)).as(config).isNull();
        }
        assertThat(ServiceLoader.load(org.slf4j.spi.SLF4JServiceProvider.class).stream().toList()).as("SLF4J providers").isEmpty();
    }

    private static Path folder(String resource) throws URISyntaxException {
        URL url = LOADER.getResource(resource);
        assertThat(url).as(resource).isNotNull();
        return Path.of(url.toURI());
    }
}
