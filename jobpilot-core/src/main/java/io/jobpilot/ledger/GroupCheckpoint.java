package io.jobpilot.ledger;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Group commit for an H2 file whose commits reach the disk through CHECKPOINT (see {@link LedgerConnections}): a
 * thread whose commit has returned needs one CHECKPOINT that started after it, not one of its own. While one runs,
 * the threads that committed meanwhile wait for it to end and then for the next, which one of them runs for all of
 * them: under load one file write serves many commits instead of each commit queueing for its own write under H2's
 * store lock.
 *
 * <p>A CHECKPOINT writes everything committed when it starts, so a thread is done once a CHECKPOINT that began after
 * its commit has ended; one that fails leaves its waiters to run the next.
 */
final class GroupCheckpoint {
    /** Writes what has been committed, on the given connection (CHECKPOINT). */
    interface Write {
        void on(Connection c) throws SQLException;
    }

    private final Write write;
    /** Commits counted so far; a commit's number is taken after it returned. */
    private long committed;
    /** Every commit numbered up to this is on disk. */
    private long durable;
    private boolean writing;

    GroupCheckpoint(Write write) {
        this.write = write;
    }

    /** Returns once what {@code c}'s thread committed before this call is on disk. */
    void afterCommit(Connection c) throws SQLException {
        long mine;
        long covered;
        synchronized (this) {
            mine = ++committed;
            while (writing && durable < mine) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;                                  // write it on this thread instead of waiting
                }
            }
            if (durable >= mine) {
                return;
            }
            writing = true;
            covered = committed;                            // every commit numbered so far returned before this write starts
        }
        boolean written = false;
        try {
            write.on(c);
            written = true;
        } finally {
            synchronized (this) {
                writing = false;
                if (written) {
                    durable = Math.max(durable, covered);
                }
                notifyAll();
            }
        }
    }
}
