package org.frontdoor.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.frontdoor.shell.completers.ChannelCompleter;
import org.osgi.framework.BundleContext;

@Command(scope = "frontdoor", name = "channel-reconnect",
        description = "Makes a door connect again now instead of at the end of its back-off (after fixing its "
                + "server or its cfg); frontdoor:channel-list shows how it went")
@Service
public class ChannelReconnectCommand extends CallerAction {

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
        if (!admin("Reconnecting a door")) {
            return null;
        }
        ChannelCheckCommand.withDoor(bundleContext, channel, instance, door -> {
            door.reconnect();
            System.out.println(channel + "/" + instance + " reconnects now; see frontdoor:channel-list");
        });
        return null;
    }
}
