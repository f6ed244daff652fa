package org.frontdoor.shell;

import java.util.List;
import java.util.TreeSet;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.osgi.framework.BundleContext;

/** Completes the ids of the installed channels. */
@Service
public class ChannelCompleter implements Completer {

    @Reference
    BundleContext bundleContext;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        TreeSet<String> ids = new TreeSet<>();
        try {
            ChannelListCommand.channels(bundleContext).forEach(row -> ids.add(row.channel()));
        } catch (Exception e) {
            return -1;
        }
        return new StringsCompleter(ids).complete(session, commandLine, candidates);
    }
}
