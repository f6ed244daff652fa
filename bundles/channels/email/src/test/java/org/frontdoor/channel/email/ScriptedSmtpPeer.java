package org.frontdoor.channel.email;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * An SMTP server on a free port that answers RCPT TO with a given line (a 5xx or 4xx GreenMail does not give), and
 * speaks plain RFC 5321 otherwise.
 */
final class ScriptedSmtpPeer implements AutoCloseable {

    private final ServerSocket server;
    private final Thread thread;

    ScriptedSmtpPeer(String rcptAnswer) throws IOException {
        server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    converse(socket, rcptAnswer);
                } catch (IOException closed) {
                    return;
                }
            }
        }, "scripted-smtp");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private static void converse(Socket socket, String rcptAnswer) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = socket.getOutputStream();
        say(out, "220 scripted ESMTP");
        for (String line; (line = in.readLine()) != null; ) {
            String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
            switch (command) {
                case "EHLO", "HELO" -> say(out, "250 scripted");
                case "MAIL" -> say(out, "250 2.1.0 Ok");
                case "RCPT" -> say(out, rcptAnswer);
                case "RSET", "NOOP" -> say(out, "250 2.0.0 Ok");
                case "QUIT" -> {
                    say(out, "221 2.0.0 Bye");
                    return;
                }
                default -> say(out, "502 5.5.2 Error: command not recognized");
            }
        }
    }

    private static void say(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
