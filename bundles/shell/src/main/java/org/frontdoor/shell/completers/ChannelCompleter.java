package org.frontdoor.shell.completers;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.frontdoor.api.Channel;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** Completes the ids of the registered channels, read from their service properties (no service is activated). */
@Service
public class ChannelCompleter implements Completer {

    @Reference
    BundleContext bundleContext;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(ids(bundleContext)).complete(session, commandLine, candidates);
    }

    static Set<String> ids(BundleContext context) {
        Set<String> ids = new TreeSet<>();
        try {
            for (ServiceReference<Channel> ref : context.getServiceReferences(Channel.class, null)) {
                Object id = ref.getProperty(Channel.CHANNEL);
                if (id != null) {
                    ids.add(id.toString());
                }
            }
        } catch (InvalidSyntaxException | IllegalStateException e) {
            // no filter is passed; a stopping bundle has no channels to offer
        }
        return ids;
    }
}
