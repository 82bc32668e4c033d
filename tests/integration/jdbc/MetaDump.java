// MetaDump: what DBeaver and DataGrip read through pgjdbc's DatabaseMetaData and
// ResultSetMetaData, one line per row: "call|COLUMN=value|...". Run against PostgreSQL 15 it
// records the expected answers; against augur it shows what differs.
// Usage: java -cp postgresql.jar:. MetaDump <jdbc url>
import java.sql.*;
import java.util.*;

public class MetaDump {
  static final String[] SCHEMA = {
    "DROP TABLE IF EXISTS md_orders",
    "DROP TABLE IF EXISTS md_customers",
    "CREATE TABLE md_customers(id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT, "
        + "created TIMESTAMP, balance NUMERIC(12,2))",
    "CREATE TABLE md_orders(id BIGINT PRIMARY KEY, customer_id INTEGER NOT NULL "
        + "REFERENCES md_customers(id), total NUMERIC(10,2), placed DATE)",
    "CREATE INDEX md_orders_placed ON md_orders(placed)",
  };
  // getTypeInfo lists every type the server has; these are the ones tools offer for columns.
  static final Set<String> TYPES = new TreeSet<>(Arrays.asList(
      "bool", "bytea", "date", "float4", "float8", "int2", "int4", "int8", "interval", "json",
      "numeric", "text", "time", "timestamp", "timestamptz", "uuid", "varchar"));

  static void dump(String call, ResultSet rs, String... columns) throws SQLException {
    List<String> lines = new ArrayList<>();
    while (rs.next()) {
      if (call.equals("getTypeInfo") && !TYPES.contains(rs.getString("TYPE_NAME"))) continue;
      StringBuilder line = new StringBuilder(call);
      for (String column : columns) line.append('|').append(column).append('=').append(rs.getString(column));
      lines.add(line.toString());
    }
    Collections.sort(lines);
    for (String line : lines) System.out.println(line);
  }

  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection(args[0])) {
      try (Statement s = c.createStatement()) {
        for (String sql : SCHEMA) s.execute(sql);
      }
      DatabaseMetaData md = c.getMetaData();
      dump("getTables", md.getTables(null, "public", "md_%", new String[] {"TABLE"}),
          "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE", "REMARKS");
      dump("getColumns", md.getColumns(null, "public", "md_%", null), "TABLE_NAME", "COLUMN_NAME",
          "DATA_TYPE", "TYPE_NAME", "COLUMN_SIZE", "DECIMAL_DIGITS", "NULLABLE", "COLUMN_DEF",
          "ORDINAL_POSITION", "IS_NULLABLE", "IS_AUTOINCREMENT");
      for (String table : new String[] {"md_customers", "md_orders"}) {
        dump("getPrimaryKeys", md.getPrimaryKeys(null, "public", table), "TABLE_NAME",
            "COLUMN_NAME", "KEY_SEQ", "PK_NAME");
        dump("getIndexInfo", md.getIndexInfo(null, "public", table, false, false), "TABLE_NAME",
            "NON_UNIQUE", "INDEX_NAME", "TYPE", "ORDINAL_POSITION", "COLUMN_NAME", "ASC_OR_DESC");
      }
      String[] keyColumns = {"PKTABLE_NAME", "PKCOLUMN_NAME", "FKTABLE_NAME", "FKCOLUMN_NAME",
          "KEY_SEQ", "UPDATE_RULE", "DELETE_RULE", "FK_NAME", "PK_NAME", "DEFERRABILITY"};
      dump("getImportedKeys", md.getImportedKeys(null, "public", "md_orders"), keyColumns);
      dump("getExportedKeys", md.getExportedKeys(null, "public", "md_customers"), keyColumns);
      dump("getTypeInfo", md.getTypeInfo(), "TYPE_NAME", "DATA_TYPE", "PRECISION", "NULLABLE",
          "CASE_SENSITIVE", "SEARCHABLE", "UNSIGNED_ATTRIBUTE", "FIXED_PREC_SCALE",
          "AUTO_INCREMENT");
      // Plain column references carry their table (RowDescription's table OID and column
      // number), through joins, subqueries, ORDER BY and LIMIT; expressions and aggregates do
      // not. Run as prepared statements: pgjdbc always uses the extended protocol.
      String[] queries = {
        "SELECT c.id, c.email, o.total, o.placed AS day "
            + "FROM md_customers c JOIN md_orders o ON o.customer_id = c.id",
        "SELECT upper(c.email) AS shout, c.name, o.id, count(*) OVER () AS n "
            + "FROM md_customers c LEFT JOIN md_orders o ON o.customer_id = c.id "
            + "WHERE c.id > 0 ORDER BY 1 LIMIT 5",
        "SELECT x.id, x.total * 2 AS twice FROM (SELECT id, total FROM md_orders) x",
        "SELECT customer_id, sum(total) AS spent FROM md_orders GROUP BY customer_id",
      };
      for (int q = 0; q < queries.length; q++) {
        try (PreparedStatement s = c.prepareStatement(queries[q]);
             ResultSet rs = s.executeQuery()) {
          ResultSetMetaData m = rs.getMetaData();
          for (int i = 1; i <= m.getColumnCount(); i++) {
            System.out.println("ResultSetMetaData|" + (q == 0 ? "" : "query=" + q + "|")
                + "column=" + i + "|name=" + m.getColumnName(i)
                + "|label=" + m.getColumnLabel(i) + "|table=" + m.getTableName(i) + "|schema="
                + m.getSchemaName(i) + "|type=" + m.getColumnType(i) + "|typeName="
                + m.getColumnTypeName(i) + "|precision=" + m.getPrecision(i) + "|scale="
                + m.getScale(i) + "|nullable=" + m.isNullable(i) + "|autoIncrement="
                + m.isAutoIncrement(i) + "|displaySize=" + m.getColumnDisplaySize(i));
          }
        }
      }
    }
  }
}
