package io.jobpilot.notify;

import io.jobpilot.run.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotifyUrlTest {

    @ParameterizedTest
    @ValueSource(strings = {"http://hooks.example/jobpilot", "https://hooks.example:8443/a/b?x=1", "HTTPS://HOOKS.EXAMPLE"})
    void httpAndHttpsWithAHostAreAccepted(String url) {
        assertThat(NotifyUrl.require(url)).isEqualTo(url);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ftp://hooks.example/x | must be an http:// or https:// URL",
            "hooks.example/x       | must be an http:// or https:// URL",
            "mailto:ops@example    | must be an http:// or https:// URL",
            "http:///x             | has no host",
            "http://a b/           | is not a URL"})
    void anythingElseIsAUsageError(String url, String message) {
        assertThatThrownBy(() -> NotifyUrl.require(url)).isInstanceOf(UsageException.class).hasMessageContaining(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://hooks.example/x?token=abc123", "http://a b/?token=abc123"})
    void theMessageMasksSecretsInTheUrl(String url) {
        assertThatThrownBy(() -> NotifyUrl.require(url)).hasMessageNotContaining("abc123");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "https://hooks.slack.com/services/T000/B000/XXXXSECRET | https://hooks.slack.com/...",
            "https://hooks.example:8443/in?token=SECRET&x=1        | https://hooks.example:8443/...",
            "https://user:SECRET@hooks.example/in                  | https://hooks.example/...",
            "http://hooks.example                                  | http://hooks.example",
            "http://hooks.example/                                 | http://hooks.example",
            "http://a b/?token=SECRET                              | http://a b/..."})
    void itIsShownAsSchemeHostAndPortOnly(String url, String shown) {
        assertThat(NotifyUrl.display(url)).isEqualTo(shown).doesNotContain("SECRET");
    }

    @Test
    void anErrorThatQuotesTheUrlShowsItAsDisplayed() {
        String url = "https://hooks.slack.com/services/T000/B000/XXXXSECRET?sig=SECRET2";

        String error = NotifyUrl.scrub("POST " + url + " failed; path /services/T000/B000/XXXXSECRET; query ?sig=SECRET2", url);

        assertThat(error).startsWith("POST https://hooks.slack.com/... failed").doesNotContain("SECRET");
        assertThat(NotifyUrl.scrub("HTTP 503", url)).isEqualTo("HTTP 503");
    }
}
