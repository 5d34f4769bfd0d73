package io.jobpilot.ledger;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The commits that arrive while a CHECKPOINT runs share the next one, and none returns before a CHECKPOINT that began
 * after it has ended. The writes here stand in for CHECKPOINT: each records which commits had returned when it began.
 */
class GroupCheckpointTest {
    private final AtomicInteger commits = new AtomicInteger();
    /** For each write, the commits that had returned when it began. */
    private final List<Integer> writesCovering = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstWriteMayEnd = new CountDownLatch(1);

    private final GroupCheckpoint checkpoints = new GroupCheckpoint(c -> {
        writesCovering.add(commits.get());
        if (writesCovering.size() == 1 && !awaitQuietly(firstWriteMayEnd)) {
            throw new SQLException("the test never let the first write end");
        }
    });

    @Test
    void commitsMadeDuringAWriteShareTheNextOne() throws Exception {
        CompletableFuture<Integer> first = commitThenCheckpoint();
        await().atMost(Duration.ofSeconds(30)).until(() -> writesCovering.size() == 1);
        List<CompletableFuture<Integer>> during = List.of(commitThenCheckpoint(), commitThenCheckpoint(), commitThenCheckpoint());
        await().atMost(Duration.ofSeconds(30)).until(() -> commits.get() == 4 && waitingThreads() == 3);
        assertThat(during).noneMatch(CompletableFuture::isDone);

        firstWriteMayEnd.countDown();
        CompletableFuture.allOf(during.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(writesCovering).as("one write for the first commit, one for the three made while it ran").containsExactly(1, 4);
    }

    @Test
    void aCommitReturnsOnlyAfterAWriteThatBeganAfterIt() throws Exception {
        firstWriteMayEnd.countDown();
        List<CompletableFuture<Integer>> all = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            all.add(commitThenCheckpoint());
        }
        for (CompletableFuture<Integer> commit : all) {
            int mine = commit.get(30, TimeUnit.SECONDS);
            assertThat(writesCovering).as("a write began after commit " + mine).anyMatch(covered -> covered >= mine);
        }
    }

    @Test
    void whenAWriteFailsItsCommitterHearsItAndAWaiterWritesAgain() throws Exception {
        GroupCheckpoint failingOnce = new GroupCheckpoint(c -> {
            writesCovering.add(commits.get());
            if (writesCovering.size() == 1) {
                awaitQuietly(firstWriteMayEnd);
                throw new SQLException("disk full");
            }
        });
        CompletableFuture<Integer> first = commitThenCheckpoint(failingOnce);
        await().atMost(Duration.ofSeconds(30)).until(() -> writesCovering.size() == 1);
        CompletableFuture<Integer> waiter = commitThenCheckpoint(failingOnce);
        await().atMost(Duration.ofSeconds(30)).until(() -> waitingThreads() == 1);

        firstWriteMayEnd.countDown();
        assertThat(first).failsWithin(Duration.ofSeconds(30)).withThrowableThat().withMessageContaining("disk full");
        assertThat(waiter.get(30, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(writesCovering).containsExactly(1, 2);
    }

    private static boolean awaitQuietly(CountDownLatch latch) {
        try {
            return latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private CompletableFuture<Integer> commitThenCheckpoint() {
        return commitThenCheckpoint(checkpoints);
    }

    /** A thread that commits (counted) and then waits for its commit to be written; it completes with its number. */
    private CompletableFuture<Integer> commitThenCheckpoint(GroupCheckpoint group) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            int mine = commits.incrementAndGet();
            try {
                group.afterCommit(null);
                done.complete(mine);
            } catch (SQLException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        }, "committer");
        t.setDaemon(true);
        t.start();
        return done;
    }

    /** Committers parked in GroupCheckpoint's wait (not the one writing). */
    private static long waitingThreads() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().equals("committer") && e.getKey().getState() == Thread.State.WAITING)
                .filter(e -> java.util.Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().equals(GroupCheckpoint.class.getName())))
                .count();
    }
}
