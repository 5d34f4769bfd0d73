package io.jobpilot.ledger;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

/**
 * The connections of a command that only reads an H2 file (`runs`, `show`): each read makes its own from the driver,
 * with no pool to start. Hikari's start-up and the logging it brings were about a sixth of such a command, for a
 * pool it never grows, checks or times out. When this process opened the database, the connection that opened it
 * keeps it open between reads, and {@link #close} closes it ({@link H2ExitClose#close}).
 */
final class H2ReaderConnections implements DataSource, AutoCloseable {
    private final String url;
    private final String username;
    private final String password;
    private final Connection served;

    H2ReaderConnections(String url, String username, String password, Connection served) {
        this.url = url;
        this.username = username;
        this.password = password;
        this.served = served;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection c = DriverManager.getConnection(url, username, password);
        c.setReadOnly(true);
        return c;
    }

    @Override
    public Connection getConnection(String user, String pass) throws SQLException {
        throw new SQLFeatureNotSupportedException("the ledger's readers connect as jobpilot.db.username");
    }

    @Override
    public void close() {
        if (served != null) {
            H2ExitClose.close(served);
        }
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // no log of its own
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // H2 has none
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
