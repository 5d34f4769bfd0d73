package io.jobpilot.ledger;

import io.jobpilot.notify.Delivery;
import io.jobpilot.notify.DeliveryRecords;
import io.jobpilot.notify.NotifyUrl;
import io.jobpilot.run.Notification;
import io.jobpilot.run.Secrets;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The completion-notification outbox (table jp_notify_outbox, V3): rows are queued with the run's end
 * ({@link Ledger#finish}), claimed by one process at a time, and carry the attempt count, the give-up clock, the next
 * due time and the last error across restarts. A claim lasts until the next attempt is due plus {@code lease}, so the
 * deliveries of a process that died are continued by another one; a process that stops releases its claims.
 */
public final class NotifyOutbox implements DeliveryRecords {
    private static final String COLUMNS = "delivery_id, run_id, url, body, attempts, first_attempt_at";

    private final Ledger ledger;
    private final Clock clock;
    private final Duration lease;
    private final int batch;
    private final String owner = UUID.randomUUID().toString();

    /**
     * @param lease how long past its due time a claimed delivery stays with this process (more than one attempt takes)
     * @param batch at most this many due deliveries are claimed per look at the outbox
     */
    public NotifyOutbox(Ledger ledger, Clock clock, Duration lease, int batch) {
        this.ledger = ledger;
        this.clock = clock;
        this.lease = lease;
        this.batch = batch;
    }

    /** Queues a notification in the caller's transaction; a run that ends again after a resume gets runId/2, /3... */
    static void enqueue(Connection c, String runId, String url, String body, Instant now) throws SQLException {
        int earlier;
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM jp_notify_outbox WHERE run_id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                earlier = rs.getInt(1);
            }
        }
        Sql.update(c, "INSERT INTO jp_notify_outbox (delivery_id, run_id, url, body, state, attempts, created_at, next_attempt_at) "
                        + "VALUES (?,?,?,?,'PENDING',0,?,?)", earlier == 0 ? runId : runId + "/" + (earlier + 1), runId, url, body,
                Sql.ts(now), Sql.ts(now));
    }

    /** The run's latest notification, for show and the command line's output. */
    static Optional<Notification> latest(Connection c, String runId) throws SQLException {
        return Optional.ofNullable(latest(c, List.of(runId)).get(runId));
    }

    /** The latest notification of each of {@code runIds} that has one, in one query. */
    static Map<String, Notification> latest(Connection c, List<String> runIds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM jp_notify_outbox WHERE run_id IN ("
                + Sql.placeholders(runIds.size()) + ") ORDER BY created_at DESC, delivery_id DESC")) {
            Sql.bind(ps, runIds.toArray());
            Map<String, Notification> latest = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!latest.containsKey(rs.getString("run_id"))) {
                        latest.put(rs.getString("run_id"), notification(rs));
                    }
                }
            }
            return latest;
        }
    }

    private static Notification notification(ResultSet rs) throws SQLException {
        return new Notification(rs.getString("delivery_id"), NotifyUrl.display(rs.getString("url")), rs.getString("state"),
                rs.getInt("attempts"), Sql.instant(rs.getTimestamp("first_attempt_at")),
                Sql.instant(rs.getTimestamp("last_attempt_at")), Sql.instant(rs.getTimestamp("next_attempt_at")),
                rs.getString("last_error"), Sql.instant(rs.getTimestamp("finished_at")));
    }

    /** The notification the end of this run has just queued (no attempt yet), claimed for this process; else null. */
    public Delivery claimNew(String runId) {
        return claimForRun(runId, false);
    }

    /**
     * The run's notification to deliver now, claimed for this process; else null. The one its end has just queued, or
     * with {@code leftPending} also one that an earlier command left pending (interrupted, or --no-notify-wait) and no
     * process holds: `jobpilot resume RUN_ID` continues it at once, with its attempts and give-up clock.
     */
    public Delivery claimForRun(String runId, boolean leftPending) {
        List<String> candidates = leftPending
                ? ids("SELECT delivery_id FROM jp_notify_outbox WHERE run_id = ? AND state = 'PENDING' AND (claimed_until IS NULL "
                + "OR claimed_until < ?) ORDER BY created_at DESC, delivery_id DESC", runId, Sql.ts(clock.instant()))
                : ids("SELECT delivery_id FROM jp_notify_outbox WHERE run_id = ? AND state = 'PENDING' AND attempts = 0", runId);
        return claimed(candidates.stream().limit(1).toList()).stream().findFirst().orElse(null);
    }

    /** Pending deliveries that are due and nobody holds, claimed for this process (oldest due first). */
    public List<Delivery> claimDue() {
        Instant now = clock.instant();
        return claimed(ids("SELECT delivery_id FROM jp_notify_outbox WHERE state = 'PENDING' AND next_attempt_at <= ? "
                + "AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY next_attempt_at", Sql.ts(now), Sql.ts(now)));
    }

    private List<String> ids(String sql, Object... args) {
        return ledger.strings(sql, batch, args);
    }

    /** Claims each one that is still free (another process may have been quicker) and loads it. */
    private List<Delivery> claimed(List<String> ids) {
        List<Delivery> out = new ArrayList<>();
        for (String id : ids) {
            Instant now = clock.instant();
            int n = ledger.update("UPDATE jp_notify_outbox SET claimed_by = ?, claimed_until = ? WHERE delivery_id = ? "
                    + "AND state = 'PENDING' AND (claimed_until IS NULL OR claimed_until < ?)", owner, Sql.ts(now.plus(lease)), id,
                    Sql.ts(now));
            if (n == 1) {
                out.add(load(id));
            }
        }
        return out;
    }

    private Delivery load(String id) {
        return ledger.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM jp_notify_outbox WHERE delivery_id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new Delivery(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                            Sql.instant(rs.getTimestamp(6)));
                }
            }
        });
    }

    /** An attempt starts: counted before anything is sent, so one cut short by a crash still counts. */
    public void attempting(Delivery d) {
        Instant now = clock.instant();
        d.attempting(now);
        ledger.update("UPDATE jp_notify_outbox SET attempts = ?, first_attempt_at = ?, last_attempt_at = ?, claimed_until = ? "
                + "WHERE delivery_id = ?", d.attempts(), Sql.ts(d.firstAttemptAt()), Sql.ts(now), Sql.ts(now.plus(lease)), d.id());
    }

    @Override
    public void failed(Delivery d, String error, Instant nextAttemptAt) {
        Instant holdUntil = (nextAttemptAt == null ? clock.instant() : nextAttemptAt).plus(lease);
        ledger.update("UPDATE jp_notify_outbox SET last_error = ?, next_attempt_at = ?, claimed_until = ? WHERE delivery_id = ?",
                Sql.truncate(Secrets.scrub(error), 2000), Sql.ts(nextAttemptAt), Sql.ts(holdUntil), d.id());
    }

    /** HTTP 200 came back in time: never sent again. */
    public void delivered(Delivery d) {
        settle(d, "DELIVERED");
    }

    @Override
    public void dead(Delivery d) {
        settle(d, "DEAD");
    }

    private void settle(Delivery d, String state) {
        Instant now = clock.instant();
        ledger.update("UPDATE jp_notify_outbox SET state = ?, finished_at = ?, next_attempt_at = NULL, claimed_by = NULL, "
                + "claimed_until = NULL WHERE delivery_id = ?", state, Sql.ts(now), d.id());
    }

    @Override
    public void release(Delivery d) {
        ledger.update("UPDATE jp_notify_outbox SET claimed_by = NULL, claimed_until = NULL WHERE delivery_id = ? AND claimed_by = ?",
                d.id(), owner);
    }

    /** On stop: every delivery this process holds becomes free for the next one, at its due time. */
    public void releaseAll() {
        ledger.update("UPDATE jp_notify_outbox SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ? AND state = 'PENDING'",
                owner);
    }
}
