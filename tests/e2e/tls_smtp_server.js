// A mail server with STARTTLS whose TLS is a current OpenSSL's (the
// Node.js of tools/install_deps.sh, OpenSSL 3.5: ML-KEM), configured per
// address, for tests/e2e/pq_selection_test.sh and tls_census_test.sh:
//   node tls_smtp_server.js CHAIN KEY CONFIG READY_FILE PORT
// CONFIG: a JSON object, per listening address the TLS settings as Node
// names them: {"127.67.0.1": {"ecdhCurve": "X25519MLKEM768:X25519",
// "maxVersion": "TLSv1.2", "minVersion": "TLSv1", "ciphers": "...",
// "honorCipherOrder": true}}. READY_FILE gets "ready" once all listen.
'use strict';
const fs = require('fs');
const net = require('net');
const tls = require('tls');

const [chainFile, keyFile, configFile, readyFile, port] = process.argv.slice(2);
const cert = fs.readFileSync(chainFile);
const key = fs.readFileSync(keyFile);
const config = JSON.parse(fs.readFileSync(configFile, 'utf8'));

// Answers SMTP lines on `socket`; STARTTLS hands the socket to TLS and
// goes on over it.
function converse(socket, settings, secure) {
  let buffer = '';
  const onData = (data) => {
    buffer += data.toString('latin1');
    let end;
    while ((end = buffer.indexOf('\r\n')) >= 0) {
      const verb = buffer.slice(0, end).slice(0, 4).toUpperCase();
      buffer = buffer.slice(end + 2);
      if (verb === 'EHLO') {
        socket.write(secure ? '250 tls.test\r\n' : '250-tls.test\r\n250 STARTTLS\r\n');
      } else if (verb === 'STAR' && !secure) {
        socket.removeListener('data', onData);
        socket.write('220 go ahead\r\n');
        const wrapped = new tls.TLSSocket(socket, {
          isServer: true, secureContext: settings.context,
          honorCipherOrder: settings.honorCipherOrder,
        });
        wrapped.on('error', () => socket.destroy());
        converse(wrapped, settings, true);
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

const addresses = Object.keys(config);
let listening = 0;
for (const ip of addresses) {
  const options = Object.assign({minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3'},
                                config[ip]);
  const settings = {
    context: tls.createSecureContext(Object.assign({cert, key}, options)),
    honorCipherOrder: Boolean(options.honorCipherOrder),
  };
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.write('220 tls.test ESMTP\r\n');
    converse(socket, settings, false);
  });
  server.listen(Number(port), ip, () => {
    if (++listening === addresses.length) fs.writeFileSync(readyFile, 'ready\n');
  });
}
