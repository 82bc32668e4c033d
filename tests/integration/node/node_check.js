// node_check.js: node-postgres (Debian's node-pg) against augur; prints one JSON object that
// test_drivers.py asserts on. Usage: node node_check.js PORT
const { Client } = require('pg');

(async () => {
  const client = new Client({ host: '127.0.0.1', port: Number(process.argv[2]), user: 'augur',
                              database: 'augur' });
  await client.connect();
  const out = {};
  await client.query('DROP TABLE IF EXISTS node_t');
  await client.query('CREATE TABLE node_t(i INTEGER, s VARCHAR, d DOUBLE, ok BOOLEAN, day DATE)');
  const ins = await client.query('INSERT INTO node_t VALUES ($1, $2, $3, $4, $5), ($6, $7, $8, $9, $10)',
                                 [1, "it's", 1.5, true, '2024-02-29', 2, null, -2.25, false, '2024-03-01']);
  out.inserted = ins.rowCount;
  const objects = await client.query('SELECT i, s, d, ok FROM node_t WHERE i >= $1 ORDER BY i', [1]);
  out.objects = objects.rows;
  const arrays = await client.query({ text: 'SELECT i, s FROM node_t ORDER BY i', rowMode: 'array' });
  out.arrays = arrays.rows;
  out.fields = arrays.fields.map((f) => [f.name, f.dataTypeID]);
  try {
    await client.query('SELECT * FROM node_missing');
  } catch (e) {
    out.error = e.code;
  }
  await client.query('DROP TABLE node_t');
  // LISTEN/NOTIFY: a second client notifies inside a transaction; the listener receives the
  // notifications at commit, in order, with the notifier's pid.
  const notifier = new Client({ host: '127.0.0.1', port: Number(process.argv[2]), user: 'augur',
                                database: 'augur' });
  await notifier.connect();
  const received = [];
  const both = new Promise((resolve) => {
    client.on('notification', (msg) => {
      received.push([msg.channel, msg.payload, msg.processId]);
      if (received.length === 2) resolve();
    });
  });
  await client.query('LISTEN node_channel');
  await notifier.query('BEGIN');
  await notifier.query("NOTIFY node_channel, 'first'");
  await notifier.query("SELECT pg_notify('node_channel', 'second')");
  out.before_commit = received.length;
  await notifier.query('COMMIT');
  const notifier_pid = (await notifier.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  await Promise.race([both, new Promise((resolve) => setTimeout(resolve, 10000))]);
  out.notifications = received.map(([channel, payload, pid]) => [channel, payload,
                                                                 pid === notifier_pid]);
  await notifier.end();
  await client.end();
  console.log(JSON.stringify(out));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
