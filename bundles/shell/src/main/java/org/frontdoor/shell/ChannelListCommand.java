package org.frontdoor.shell;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.frontdoor.api.Channel;
import org.frontdoor.api.ChannelHealth;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

@Command(scope = "frontdoor", name = "channel-list", description = "Lists the channel instances and their health")
@Service
public class ChannelListCommand implements Action {

    @Option(name = "--status", aliases = "-s", description = "Only channels in this state (UP, DEGRADED, AUTH_EXPIRED, DOWN)")
    @Completion(HealthCompleter.class)
    String status;

    @Reference
    BundleContext bundleContext;

    /** A channel and its health, read once. */
    record Row(String channel, String instance, ChannelHealth health) {
    }

    @Override
    public Object execute() throws Exception {
        ChannelHealth.Status wanted = null;
        if (status != null) {
            try {
                wanted = ChannelHealth.Status.valueOf(status.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                System.err.println("Unknown status " + status + "; use one of "
                        + java.util.Arrays.toString(ChannelHealth.Status.values()));
                return null;
            }
        }
        table(channels(bundleContext), wanted).print(System.out);
        return null;
    }

    static List<Row> channels(BundleContext context) throws InvalidSyntaxException {
        List<Row> rows = new ArrayList<>();
        for (ServiceReference<Channel> ref : context.getServiceReferences(Channel.class, null)) {
            Channel channel = context.getService(ref);
            if (channel == null) {
                continue;
            }
            try {
                rows.add(new Row(channel.id(), channel.instance(), channel.health()));
            } finally {
                context.ungetService(ref);
            }
        }
        rows.sort(Comparator.comparing(Row::channel).thenComparing(Row::instance));
        return rows;
    }

    static ShellTable table(List<Row> rows, ChannelHealth.Status wanted) {
        ShellTable table = new ShellTable();
        table.column("Channel");
        table.column("Instance");
        table.column("Status");
        table.column("Since");
        table.column("Reason");
        table.emptyTableText("No channel is installed (feature:install frontdoor-channel-api)");
        for (Row row : rows) {
            if (wanted == null || row.health().status() == wanted) {
                table.addRow().addContent(row.channel(), row.instance(), row.health().status(),
                        Text.time(row.health().since()), Text.orEmpty(row.health().reason()));
            }
        }
        return table;
    }
}
