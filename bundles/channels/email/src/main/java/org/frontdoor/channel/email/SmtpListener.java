package org.frontdoor.channel.email;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.SMTPServer;

/**
 * Mail routed straight to Frontdoor by SMTP (SubEtha SMTP): a mail is answered 250 only once Frontdoor has stored
 * it, 554 when it is refused for good, 451 (try again later) when it cannot be stored now, so the sending mail server
 * keeps it in its queue.
 */
final class SmtpListener {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpListener.class);

    private final SMTPServer server;

    SmtpListener(String host, int port, Set<String> recipients, int maxBytes, int ingestTimeoutSeconds,
                 String instance, MailReader reader, Function<Message, CompletableFuture<IngestReceipt>> ingest)
            throws IOException {
        Set<String> accepted = recipients.stream().map(r -> r.trim().toLowerCase(Locale.ROOT))
                .filter(r -> !r.isEmpty()).collect(Collectors.toUnmodifiableSet());
        this.server = SMTPServer.port(port).bindAddress(InetAddress.getByName(host))
                .hostName("frontdoor-" + instance).softwareName("Frontdoor")
                .maxMessageSize(maxBytes)
                .serverThreadName("frontdoor-email-" + instance + "-smtp-listener")
                .messageHandlerFactory(context -> new Handler(accepted, ingestTimeoutSeconds, instance, reader, ingest))
                .build();
    }

    void start() {
        server.start();
    }

    void stop() {
        server.stop();
    }

    int port() {
        return server.getPortAllocated();
    }

    private static final class Handler implements MessageHandler {
        private final Set<String> accepted;
        private final int ingestTimeoutSeconds;
        private final String instance;
        private final MailReader reader;
        private final Function<Message, CompletableFuture<IngestReceipt>> ingest;

        Handler(Set<String> accepted, int ingestTimeoutSeconds, String instance, MailReader reader,
                Function<Message, CompletableFuture<IngestReceipt>> ingest) {
            this.accepted = accepted;
            this.ingestTimeoutSeconds = ingestTimeoutSeconds;
            this.instance = instance;
            this.reader = reader;
            this.ingest = ingest;
        }

        @Override
        public void from(String from) {
            // any sender: the mail's own From header names the author
        }

        @Override
        public void recipient(String recipient) throws RejectException {
            if (!accepted.contains(recipient.toLowerCase(Locale.ROOT))) {
                throw new RejectException(550, "5.1.1 <" + recipient + ">: no such mailbox here");
            }
        }

        @Override
        public String data(InputStream data) throws RejectException, IOException {
            byte[] raw = data.readAllBytes();
            Message message;
            try {
                message = reader.read(raw, Instant.now());
            } catch (IllegalArgumentException e) {
                LOG.warn("E-mail channel instance {}: a mail sent to the SMTP listener is refused for good: {}",
                        instance, e.getMessage());
                throw new RejectException(554, "5.6.0 " + e.getMessage());
            } catch (IOException e) {
                throw new RejectException(451, "4.3.0 the mail cannot be stored now, try again later");
            }
            try {
                ingest.apply(message).get(ingestTimeoutSeconds, TimeUnit.SECONDS);
                return null;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IllegalArgumentException refused) {
                    LOG.warn("E-mail channel instance {}: Frontdoor refused a mail sent to the SMTP listener for "
                            + "good: {}", instance, refused.getMessage());
                    throw new RejectException(554, "5.6.0 refused: " + refused.getMessage());
                }
                throw new RejectException(451, "4.3.0 the mail cannot be stored now, try again later");
            } catch (TimeoutException e) {
                throw new RejectException(451, "4.3.0 the mail cannot be stored now, try again later");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RejectException(451, "4.3.0 shutting down, try again later");
            }
        }

        @Override
        public void done() {
            // nothing held
        }
    }
}
