// A mail server with STARTTLS whose TLS is a current OpenSSL's (the
// Node.js of tools/install_deps.sh, OpenSSL 3.5: ML-KEM), for
// tests/e2e/pq_selection_test.sh. One listener per address:
//   node pq_smtp_server.js CHAIN KEY READY_FILE PORT IP=GROUPS[/MAXVERSION]...
// GROUPS as OpenSSL names them ("X25519MLKEM768:X25519"); MAXVERSION
// "TLSv1.2" or "TLSv1.3" (the default). READY_FILE gets "ready" once all
// listen.
'use strict';
const fs = require('fs');
const net = require('net');
const tls = require('tls');

const [chainFile, keyFile, readyFile, port, ...listeners] = process.argv.slice(2);
const cert = fs.readFileSync(chainFile);
const key = fs.readFileSync(keyFile);

// Answers SMTP lines on `socket`; STARTTLS hands the socket to TLS and
// goes on over it.
function converse(socket, context, secure) {
  let buffer = '';
  const onData = (data) => {
    buffer += data.toString('latin1');
    let end;
    while ((end = buffer.indexOf('\r\n')) >= 0) {
      const verb = buffer.slice(0, end).slice(0, 4).toUpperCase();
      buffer = buffer.slice(end + 2);
      if (verb === 'EHLO') {
        socket.write(secure ? '250 pq.test\r\n' : '250-pq.test\r\n250 STARTTLS\r\n');
      } else if (verb === 'STAR' && !secure) {
        socket.removeListener('data', onData);
        socket.write('220 go ahead\r\n');
        const wrapped = new tls.TLSSocket(socket, {isServer: true, secureContext: context});
        wrapped.on('error', () => socket.destroy());
        converse(wrapped, context, true);
        return;
      } else if (verb === 'QUIT') {
        socket.end('221 bye\r\n');
      } else {
        socket.write('502 not here\r\n');
      }
    }
  };
  socket.on('data', onData);
  socket.on('error', () => {});
}

let listening = 0;
for (const spec of listeners) {
  const [ip, tlsSpec] = spec.split('=');
  const [groups, maxVersion] = tlsSpec.split('/');
  const context = tls.createSecureContext({
    cert, key, ecdhCurve: groups, minVersion: 'TLSv1.2',
    maxVersion: maxVersion || 'TLSv1.3',
  });
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.write('220 pq.test ESMTP\r\n');
    converse(socket, context, false);
  });
  server.listen(Number(port), ip, () => {
    if (++listening === listeners.length) fs.writeFileSync(readyFile, 'ready\n');
  });
}
