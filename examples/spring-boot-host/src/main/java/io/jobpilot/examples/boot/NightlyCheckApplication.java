package io.jobpilot.examples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The host application: Spring Boot with camel-spring-boot-starter, its own route ({@link NightlyCheckRoute}) and its
 * own application.properties. Nothing here sets jobpilot up; having jobpilot-core on the classpath is what lets the
 * route send to jobpilot:, and jobpilot's settings are read from Spring's Environment like any other.
 */
@SpringBootApplication
public class NightlyCheckApplication {
    public static void main(String[] args) {
        SpringApplication.run(NightlyCheckApplication.class, args);
    }
}
