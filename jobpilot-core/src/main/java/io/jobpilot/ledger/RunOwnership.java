package io.jobpilot.ledger;

import io.jobpilot.run.ErrorKind;
import io.jobpilot.run.Outcome;
import io.jobpilot.run.RunHolder;
import io.jobpilot.run.RunHolders;
import io.jobpilot.run.RunOwner;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who follows which run, in the ledger: one owner at a time, holding a lease it renews. Every change of owner is one
 * conditional UPDATE that names the owner it expects to replace, so of two processes taking one run exactly one wins.
 * <p>
 * A run's lease is the later of its own ({@code jp_run.lease_until}, set when it was taken, cleared when it ended or
 * was released) and its owner's ({@code jp_owner_lease}, one row per process): a renewal rewrites that one row, not
 * every run the process follows, and a cleared lease stays cleared whatever the owner's.
 */
public final class RunOwnership implements RunHolders {
    private static final String HOLDER = "SELECT r.run_id, r.origin, r.outcome, r.owner, r.owner_node, r.owner_host, r.owner_pid, "
            + "r.owner_started, r.owner_pid_ns, r.owned_since, CASE WHEN r.lease_until IS NULL THEN NULL "
            + "WHEN o.lease_until > r.lease_until THEN o.lease_until ELSE r.lease_until END AS lease_until "
            + "FROM jp_run r LEFT JOIN jp_owner_lease o ON o.owner = r.owner";
    /** An owner's row left by a process that was killed (a clean exit deletes its own) goes when it is this old. */
    private static final java.time.Duration FORGOTTEN = java.time.Duration.ofDays(1);

    /** Outcomes a run can be resumed from (detached, timed out): it is unfinished again once taken. */
    private static final String RESUMABLE = java.util.Arrays.stream(Outcome.values()).filter(o -> !o.isFinal())
            .map(o -> "'" + o.name() + "'").collect(java.util.stream.Collectors.joining(", "));

    private final Ledger ledger;

    public RunOwnership(Ledger ledger) {
        this.ledger = ledger;
    }

    @Override
    public Optional<RunHolder> holder(String runId) {
        List<RunHolder> found = holders(HOLDER + " WHERE r.run_id = ?", 1, runId);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /**
     * A run that ended resumable (RUNNING: detached or --no-wait; TIMED_OUT; an uncertain start, which resume asks the
     * vendor about again) is unfinished again once followed.
     */
    @Override
    public boolean take(RunHolder seen, RunOwner me, Instant leaseUntil, boolean onlyIfFree) {
        Instant now = Instant.now();
        List<Object> args = new ArrayList<>();
        args.add(me.token());
        args.add(me.node());
        args.add(me.host());
        args.add(me.pid());
        args.add(Sql.ts(me.processStarted()));
        args.add(me.pidNamespace());
        args.add(Sql.ts(now));
        args.add(Sql.ts(leaseUntil));
        args.add(seen.runId());
        StringBuilder sql = new StringBuilder("UPDATE jp_run SET owner = ?, owner_node = ?, owner_host = ?, owner_pid = ?, owner_started = ?, "
                + "owner_pid_ns = ?, owned_since = ?, lease_until = ?, outcome = NULL, finished_at = NULL WHERE run_id = ? "
                + "AND (outcome IS NULL OR outcome IN (" + RESUMABLE + ") OR error_kind = '" + ErrorKind.UNCERTAIN_START + "')");
        if (seen.owner() == null) {
            sql.append(" AND owner IS NULL");
        } else {
            sql.append(" AND owner = ?");
            args.add(seen.owner().token());
        }
        if (onlyIfFree) {
            sql.append(" AND (lease_until IS NULL OR lease_until < ? AND NOT EXISTS (SELECT 1 FROM jp_owner_lease o "
                    + "WHERE o.owner = jp_run.owner AND o.lease_until >= ?))");
            args.add(Sql.ts(now));
            args.add(Sql.ts(now));
        }
        return ledger.update(sql.toString(), args.toArray()) == 1;
    }

    /**
     * One row, whatever the number of runs: the owner's lease. The first renewal of a process inserts it (only this
     * process writes its row; the lock keeps its renewer and a run's own check from both inserting it).
     */
    @Override
    public synchronized void renewOwner(RunOwner me, Instant leaseUntil) {
        if (ledger.update("UPDATE jp_owner_lease SET lease_until = ? WHERE owner = ?", Sql.ts(leaseUntil), me.token()) == 0) {
            ledger.together(() -> {
                ledger.update("DELETE FROM jp_owner_lease WHERE lease_until < ?", Sql.ts(Instant.now().minus(FORGOTTEN)));
                ledger.update("INSERT INTO jp_owner_lease (owner, lease_until) VALUES (?, ?)", me.token(), Sql.ts(leaseUntil));
            });
        }
    }

    /** One read of the owner's index (jp_run_owner), however many runs. */
    @Override
    public Set<String> held(RunOwner me) {
        return runIds("SELECT run_id FROM jp_run WHERE owner = ? AND outcome IS NULL AND lease_until IS NOT NULL", me.token());
    }

    @Override
    public boolean renew(RunOwner me, String runId, Instant leaseUntil) {
        renewOwner(me, leaseUntil);
        return !runIds("SELECT run_id FROM jp_run WHERE run_id = ? AND owner = ? AND outcome IS NULL AND lease_until IS NOT NULL",
                runId, me.token()).isEmpty();
    }

    private Set<String> runIds(String sql, Object... args) {
        return new HashSet<>(ledger.strings(sql, 0, args));
    }

    @Override
    public void release(RunOwner me) {
        ledger.together(() -> {
            ledger.update("UPDATE jp_run SET lease_until = NULL WHERE owner = ? AND outcome IS NULL", me.token());
            ledger.update("DELETE FROM jp_owner_lease WHERE owner = ?", me.token());
        });
    }

    @Override
    public void release(RunOwner me, String runId) {
        ledger.update("UPDATE jp_run SET lease_until = NULL WHERE run_id = ? AND owner = ? AND outcome IS NULL", runId, me.token());
    }

    /**
     * Unfinished runs of the long-lived runtime (api, schedule) held by anyone but {@code me}, or released by {@code me}
     * (one that stopped without its end recorded): candidates for adoption.
     */
    public List<RunHolder> serveRunsNotHeldBy(RunOwner me, int limit) {
        return holders(HOLDER + " WHERE r.outcome IS NULL AND r.origin IN ('api', 'schedule') AND (r.owner IS NULL OR r.owner <> ? "
                + "OR r.lease_until IS NULL) ORDER BY r.created_at", limit, me.token());
    }

    private List<RunHolder> holders(String sql, int limit, Object... args) {
        return ledger.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                Sql.bind(ps, args);
                ps.setMaxRows(limit);
                List<RunHolder> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(holder(rs));
                    }
                }
                return out;
            }
        });
    }

    private static RunHolder holder(ResultSet rs) throws SQLException {
        long pid = rs.getLong("owner_pid");
        Long ownerPid = rs.wasNull() ? null : pid;
        RunOwner owner = RunOwner.of(rs.getString("owner"), rs.getString("owner_node"), rs.getString("owner_host"), ownerPid,
                Sql.instant(rs.getTimestamp("owner_started")), rs.getString("owner_pid_ns"));
        return new RunHolder(rs.getString("run_id"), rs.getString("origin"), rs.getString("outcome"), owner,
                Sql.instant(rs.getTimestamp("owned_since")), Sql.instant(rs.getTimestamp("lease_until")));
    }
}
