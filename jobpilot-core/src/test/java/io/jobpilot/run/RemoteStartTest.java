package io.jobpilot.run;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The two ledger steps that bracket a start, and what they say about a resumed run. */
class RemoteStartTest {
    private static final RemoteStart PLAY = new RemoteStart("play-sent", "played", "play session", "1Integrate play");

    private static Run run() {
        return new Run(RunRequest.of("oneintegrate-session", java.util.Map.of()), "r1", Path.of("runs/r1"), Instant.now(),
                Duration.ofHours(1), false);
    }

    @Test
    void aStartIsNeededUntilItsIntentIsRecordedAndUnansweredUntilItsAnswerIs() {
        Run run = run();
        assertThat(PLAY.needed(run)).isTrue();
        assertThat(PLAY.unanswered(run)).isFalse();

        run.markDone("play-sent");
        assertThat(PLAY.needed(run)).isFalse();
        assertThat(PLAY.unanswered(run)).as("sent, no answer: reconcile, never resend").isTrue();

        run.markDone("played");
        assertThat(PLAY.needed(run)).isFalse();
        assertThat(PLAY.unanswered(run)).isFalse();
    }

    @Test
    void intentStepsAreRecognisableSoRestartStartCanTakeThemBack() {
        assertThat(RemoteStart.isIntent("play-sent")).isTrue();
        assertThat(RemoteStart.isIntent("played")).isFalse();
        assertThatThrownBy(() -> new RemoteStart("play", "played", "play session", "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
