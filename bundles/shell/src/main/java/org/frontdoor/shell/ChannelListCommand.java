package org.frontdoor.shell;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.frontdoor.api.Channel;
import org.frontdoor.api.ChannelHealth;
import org.frontdoor.shell.completers.HealthCompleter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

@Command(scope = "frontdoor", name = "channel-list", description = "Lists the channel instances and their health")
@Service
public class ChannelListCommand extends CallerAction {

    /** Shown as the status of a channel whose health() failed. */
    static final String UNKNOWN = "UNKNOWN";
    /** The longest reason shown: enough for what to fix and the file it is in (GET /api/v1/channels has it whole). */
    static final int REASON = 200;

    @Option(name = "--status", aliases = "-s", description = "Only channels in this state: UP, DEGRADED, AUTH_EXPIRED or DOWN")
    @Completion(HealthCompleter.class)
    String status;

    @Reference
    BundleContext bundleContext;

    /**
     * A channel instance and its health, read once.
     *
     * @param status null when the channel could not tell (its health() failed)
     */
    record Row(String channel, String instance, ChannelHealth.Status status, Instant since, String reason) {

        static Row of(String channel, String instance, ChannelHealth health) {
            return new Row(channel, instance, health.status(), health.since(), health.reason());
        }
    }

    @Override
    protected Object call() throws Exception {
        ChannelHealth.Status wanted;
        try {
            wanted = Commands.parse(ChannelHealth.Status.class, status, "status");
        } catch (IllegalArgumentException e) {
            Commands.error(e.getMessage());
            return null;
        }
        table(channels(bundleContext), wanted).print(System.out);
        return null;
    }

    /** Every registered channel, sorted by channel then instance; each service is released once read. */
    static List<Row> channels(BundleContext context) throws InvalidSyntaxException {
        List<Row> rows = new ArrayList<>();
        for (ServiceReference<Channel> ref : context.getServiceReferences(Channel.class, null)) {
            Channel channel = context.getService(ref);
            if (channel == null) {
                continue; // unregistered meanwhile
            }
            try {
                rows.add(read(ref, channel));
            } finally {
                context.ungetService(ref);
            }
        }
        rows.sort(ORDER);
        return rows;
    }

    private static final Comparator<Row> ORDER = Comparator
            .comparing(Row::channel, Comparator.nullsFirst(Comparator.<String>naturalOrder()))
            .thenComparing(Row::instance, Comparator.nullsFirst(Comparator.<String>naturalOrder()));

    /** One channel's row; a channel whose health() throws is listed with the failure as its reason. */
    static Row read(ServiceReference<?> ref, Channel channel) {
        String id = property(ref, Channel.CHANNEL);
        String instance = property(ref, Channel.INSTANCE);
        try {
            return Row.of(id != null ? id : channel.id(), instance != null ? instance : channel.instance(),
                    channel.health());
        } catch (RuntimeException e) {
            return new Row(id, instance, null, null, "health() failed: " + e);
        }
    }

    private static String property(ServiceReference<?> ref, String name) {
        Object value = ref.getProperty(name);
        return value == null ? null : value.toString();
    }

    static ShellTable table(List<Row> rows, ChannelHealth.Status wanted) {
        ShellTable table = new ShellTable();
        table.column("Channel");
        table.column("Instance");
        table.column("Status");
        table.column("Since");
        table.column("Reason");
        table.emptyTableText(wanted == null ? "No channel is installed (feature:install frontdoor-channel-api)"
                : "No channel is " + wanted);
        for (Row row : rows) {
            if (wanted == null || row.status() == wanted) {
                table.addRow().addContent(cells(row));
            }
        }
        return table;
    }

    static Object[] cells(Row row) {
        return new Object[] {Text.oneLine(row.channel(), 30), Text.oneLine(row.instance(), 30),
                row.status() == null ? UNKNOWN : row.status().name(), Text.time(row.since()),
                Text.oneLine(row.reason(), REASON)};
    }
}
