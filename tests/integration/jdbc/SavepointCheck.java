// SavepointCheck.java: JDBC savepoints through pgjdbc (Connection.setSavepoint, rollback(sp),
// releaseSavepoint) and pgjdbc's autosave=always, which wraps every statement in a savepoint and
// rolls back to it on error. Prints "key=value" lines; test_savepoints.py asserts on them.
// Arguments: JDBC URL, table name.
import java.sql.*;

public class SavepointCheck {
  static String rows(Statement s, String t) throws SQLException {
    StringBuilder out = new StringBuilder();
    try (ResultSet rs = s.executeQuery("SELECT id, v FROM " + t + " ORDER BY id")) {
      while (rs.next()) out.append(rs.getInt(1)).append(':').append(rs.getString(2)).append(';');
    }
    return out.toString();
  }

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String t = args[1];
    try (Connection c = DriverManager.getConnection(url)) {
      Statement s = c.createStatement();
      s.execute("CREATE SEQUENCE " + t + "_seq");
      s.execute("CREATE TABLE " + t + " (id integer PRIMARY KEY DEFAULT nextval('" + t
          + "_seq'), v text)");
      c.setAutoCommit(false);
      PreparedStatement ins = c.prepareStatement("INSERT INTO " + t + "(v) VALUES (?)");
      ins.setString(1, "a");
      ins.executeUpdate();
      Savepoint one = c.setSavepoint("one");
      ins.setString(1, "b");
      ins.executeUpdate();
      c.rollback(one);
      System.out.println("after_rollback=" + rows(s, t));
      Savepoint unnamed = c.setSavepoint();
      try {
        s.execute("INSERT INTO " + t + "(id, v) VALUES (1, 'dup')");
      } catch (SQLException e) {
        System.out.println("error_state=" + e.getSQLState());
        c.rollback(unnamed);
      }
      c.releaseSavepoint(one);
      ins.setString(1, "c");
      ins.executeUpdate();
      c.commit();
      System.out.println("committed=" + rows(s, t));
      c.commit();
    }
    // autosave=always: an error no longer aborts the transaction.
    try (Connection c = DriverManager.getConnection(url + "&autosave=always")) {
      c.setAutoCommit(false);
      Statement s = c.createStatement();
      s.execute("INSERT INTO " + t + "(v) VALUES ('d')");
      try {
        s.execute("INSERT INTO " + t + "(id, v) VALUES (1, 'dup')");
      } catch (SQLException e) {
        System.out.println("autosave_error_state=" + e.getSQLState());
      }
      s.execute("INSERT INTO " + t + "(v) VALUES ('e')");
      c.commit();
      System.out.println("autosave=" + rows(s, t));
      c.commit();
    }
  }
}
