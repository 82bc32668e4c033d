// DriverCheck.java: drives augur through pgjdbc (Debian's libpostgresql-jdbc-java) and prints one
// "key=value" line per result; test_drivers.py compiles it, runs it and asserts on the lines.
import java.sql.*;

public class DriverCheck {
  public static void main(String[] args) throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:" + args[0] + "/augur?user=augur";
    String part = args.length > 1 ? args[1] : "core";
    try (Connection c = DriverManager.getConnection(url)) {
      Statement s = c.createStatement();
      if (part.equals("core")) {
        s.execute("DROP TABLE IF EXISTS jdbc_t");
        s.execute("CREATE TABLE jdbc_t(id INTEGER PRIMARY KEY, name VARCHAR, v DOUBLE, d DATE)");
        PreparedStatement ins = c.prepareStatement("INSERT INTO jdbc_t VALUES (?, ?, ?, ?)");
        for (int i = 0; i < 100; i++) {
          ins.setInt(1, i);
          ins.setString(2, "name " + i);
          ins.setDouble(3, i * 1.5);
          ins.setDate(4, Date.valueOf("2024-01-01"));
          ins.addBatch();
        }
        int total = 0;
        for (int n : ins.executeBatch()) total += n;
        System.out.println("batch_rows=" + total);
        // Executed more than five times: pgjdbc switches to a named server-side statement and to
        // binary transfer for the types it knows.
        PreparedStatement q = c.prepareStatement("SELECT name, v, id FROM jdbc_t WHERE id = ?");
        StringBuilder seen = new StringBuilder();
        for (int i = 0; i < 10; i++) {
          q.setInt(1, i * 7);
          try (ResultSet rs = q.executeQuery()) {
            rs.next();
            seen.append(rs.getString(1)).append('/').append(rs.getDouble(2)).append('/')
                .append(rs.getInt(3)).append(';');
          }
        }
        System.out.println("prepared=" + seen);
        c.setAutoCommit(false);
        PreparedStatement f = c.prepareStatement("SELECT id FROM jdbc_t ORDER BY id");
        f.setFetchSize(7);
        long sum = 0;
        int rows = 0;
        try (ResultSet rs = f.executeQuery()) {
          while (rs.next()) {
            sum += rs.getInt(1);
            rows++;
          }
        }
        c.commit();
        c.setAutoCommit(true);
        System.out.println("fetch_rows=" + rows + " fetch_sum=" + sum);
        try {
          s.executeQuery("SELECT * FROM jdbc_missing");
        } catch (SQLException e) {
          System.out.println("error_state=" + e.getSQLState());
        }
        System.out.println("product=" + c.getMetaData().getDatabaseProductName() + " "
            + c.getMetaData().getDatabaseMajorVersion());
      } else if (part.equals("notify")) {
        // LISTEN/NOTIFY through pgjdbc: notifications arrive with the next round trip (or
        // getNotifications with a timeout) after the notifier commits.
        s.execute("LISTEN jdbc_channel");
        try (Connection notifier = DriverManager.getConnection(url)) {
          notifier.setAutoCommit(false);
          Statement n = notifier.createStatement();
          n.execute("NOTIFY jdbc_channel, 'first'");
          n.execute("SELECT pg_notify('jdbc_channel', 'second')");
          org.postgresql.PGConnection pg = c.unwrap(org.postgresql.PGConnection.class);
          org.postgresql.PGNotification[] early = pg.getNotifications(200);
          System.out.println("before_commit=" + (early == null ? 0 : early.length));
          notifier.commit();
          int notifierPid = notifier.unwrap(org.postgresql.PGConnection.class).getBackendPID();
          java.util.List<String> got = new java.util.ArrayList<>();
          long deadline = System.currentTimeMillis() + 10000;
          while (got.size() < 2 && System.currentTimeMillis() < deadline) {
            org.postgresql.PGNotification[] batch = pg.getNotifications(500);
            if (batch == null) continue;
            for (org.postgresql.PGNotification note : batch) {
              got.add(note.getName() + ":" + note.getParameter() + ":"
                  + (note.getPID() == notifierPid));
            }
          }
          System.out.println("notifications=" + String.join(",", got));
        }
      } else {
        DatabaseMetaData md = c.getMetaData();
        try (ResultSet rs = md.getTables(null, null, "jdbc_t", new String[] {"TABLE"})) {
          while (rs.next()) System.out.println("table=" + rs.getString("TABLE_NAME"));
        }
        try (ResultSet rs = md.getColumns(null, null, "jdbc_t", null)) {
          while (rs.next()) {
            System.out.println("column=" + rs.getString("COLUMN_NAME") + ":" + rs.getString("TYPE_NAME"));
          }
        }
        try (ResultSet rs = md.getPrimaryKeys(null, null, "jdbc_t")) {
          while (rs.next()) System.out.println("pk=" + rs.getString("COLUMN_NAME"));
        }
      }
    }
  }
}
