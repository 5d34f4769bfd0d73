package io.jobpilot.callback;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CallbackInboxTest {
    private final CallbackInbox inbox = new CallbackInbox();

    private void callbackFor(String runId) {
        inbox.raise(runId, 1);
    }

    @Test
    void aCallbackIsTakenOnce() {
        inbox.watch("r1", 0);
        assertThat(inbox.take("r1")).isFalse();
        callbackFor("r1");
        callbackFor("r1");
        assertThat(inbox.take("r1")).isTrue();
        assertThat(inbox.take("r1")).isFalse();
    }

    @Test
    void aRunCanStartWithItsFlagRaised() {
        inbox.watch("r1", 1);
        assertThat(inbox.take("r1")).isTrue();
    }

    @Test
    void runsNobodyWaitsForKeepNoFlag() {
        callbackFor("elsewhere");
        inbox.watch("elsewhere", 0);
        assertThat(inbox.take("elsewhere")).as("a callback before the watch is not kept here (the ledger has it)").isFalse();
        inbox.forget("elsewhere");
        callbackFor("elsewhere");
        assertThat(inbox.take("elsewhere")).isFalse();
    }

    @Test
    void aReceiptRecordedElsewhereWakesTheRunOnceAndOneCountedAlreadyDoesNot() {
        inbox.watch("r1", 0);
        inbox.watch("r2", 1);
        assertThat(inbox.take("r2")).isTrue();
        callbackFor("r1");                                  // came here: counted when it woke the run
        assertThat(inbox.take("r1")).isTrue();

        inbox.receipts(Map.of("r1", 1, "r2", 1, "ended", 3));
        assertThat(inbox.take("r1")).as("its one receipt woke it already").isFalse();
        assertThat(inbox.take("r2")).as("the receipt it began with").isFalse();
        assertThat(inbox.isWaiting("ended")).isFalse();

        inbox.receipts(Map.of("r1", 2, "r2", 2));             // one more each, recorded by another node
        assertThat(inbox.take("r1")).isTrue();
        assertThat(inbox.take("r2")).isTrue();
        inbox.receipts(Map.of("r1", 2, "r2", 2));
        assertThat(inbox.take("r1")).isFalse();
        assertThat(inbox.take("r2")).isFalse();
    }
}
