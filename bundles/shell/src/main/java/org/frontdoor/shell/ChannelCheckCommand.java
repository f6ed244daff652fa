package org.frontdoor.shell;

import java.util.Optional;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.frontdoor.api.Channel;
import org.frontdoor.api.ChannelCheck;
import org.frontdoor.api.CheckReport;
import org.frontdoor.shell.completers.ChannelCompleter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

@Command(scope = "frontdoor", name = "channel-check",
        description = "Tries a door's settings now (e-mail: IMAP login and folder, SMTP EHLO and AUTH with no mail "
                + "sent; XMPP login; the api door's callback peer; the web chat's allowed origins) and says what "
                + "works and what to fix")
@Service
public class ChannelCheckCommand extends CallerAction {

    /** The longest detail shown: what to fix and the file it is in. */
    static final int DETAIL = 400;

    @Argument(index = 0, name = "channel", description = "The channel id: email, xmpp, api, webchat", required = true)
    @Completion(ChannelCompleter.class)
    String channel;

    @Argument(index = 1, name = "instance", description = "The door's instance name (see frontdoor:channel-list)",
            required = true)
    String instance;

    @Reference
    BundleContext bundleContext;

    @Override
    protected Object call() throws Exception {
        if (!admin("Checking a door")) {
            return null;
        }
        withDoor(bundleContext, channel, instance, check -> {
            CheckReport report = check.check();
            ShellTable table = new ShellTable();
            table.column("Step");
            table.column("Result");
            table.column("What works, or what to fix");
            for (CheckReport.Step step : report.steps()) {
                table.addRow().addContent(step.what(), step.ok() ? "OK" : "FAILED",
                        Text.oneLine(step.detail(), DETAIL));
            }
            table.print(System.out);
            if (report.ok()) {
                System.out.println(channel + "/" + instance + ": every step works");
            } else {
                // a failed step fails the command (exit status 1 through bin/client), so a script can act on it
                Commands.error(channel + "/" + instance + ": fix what FAILED, then frontdoor:channel-reconnect "
                        + channel + " " + instance);
            }
        });
        return null;
    }

    /** What a command does with a door that can be checked. */
    interface DoorWork {
        void run(ChannelCheck door) throws Exception;
    }

    /**
     * Runs {@code work} on the door of that channel and instance; says so on stderr when there is none, or when it
     * cannot be checked. The service is released afterwards.
     */
    static void withDoor(BundleContext context, String channel, String instance, DoorWork work) throws Exception {
        Optional<ServiceReference<Channel>> found = find(context, channel, instance);
        if (found.isEmpty()) {
            Commands.error("No door " + channel + "/" + instance + " (see frontdoor:channel-list)");
            return;
        }
        Channel door = context.getService(found.get());
        try {
            if (door == null) {
                Commands.error("No door " + channel + "/" + instance + " (see frontdoor:channel-list)");
            } else if (door instanceof ChannelCheck check) {
                work.run(check);
            } else {
                Commands.error("The door " + channel + "/" + instance + " has no check (its bundle does not "
                        + "implement org.frontdoor.api.ChannelCheck)");
            }
        } finally {
            context.ungetService(found.get());
        }
    }

    private static Optional<ServiceReference<Channel>> find(BundleContext context, String channel, String instance)
            throws InvalidSyntaxException {
        for (ServiceReference<Channel> ref : context.getServiceReferences(Channel.class, null)) {
            if (channel.equals(String.valueOf(ref.getProperty(Channel.CHANNEL)))
                    && instance.equals(String.valueOf(ref.getProperty(Channel.INSTANCE)))) {
                return Optional.of(ref);
            }
        }
        return Optional.empty();
    }
}
