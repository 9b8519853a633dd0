namespace Resolver.Server.Transport.Tcp;

/// <summary>
/// The open TCP connections of the server, under a cap (RFC 7766 §6.2.2: servers may close idle connections to
/// make room). At the cap the connection idle the longest is closed to admit a new one; if every connection has a
/// query in flight the new one is refused. Also closes connections idle past the timeout (RFC 7766 §6.2.3).
/// </summary>
internal sealed class TcpConnectionTable(int maxConnections)
{
    private readonly List<TcpConnection> connections = [];
    private readonly object gate = new();

    public int Count
    {
        get
        {
            lock (gate)
            {
                return connections.Count;
            }
        }
    }

    /// <summary>Adds the connection, closing the longest-idle one at the cap; false when it must be refused.</summary>
    public bool TryAdmit(TcpConnection connection)
    {
        TcpConnection? evicted = null;
        lock (gate)
        {
            if (connections.Count >= maxConnections)
            {
                evicted = LongestIdle();
                if (evicted is null)
                {
                    return false;
                }

                connections.Remove(evicted);
            }

            connections.Add(connection);
        }

        evicted?.Close(TransportTags.Evicted);
        return true;
    }

    public void Remove(TcpConnection connection)
    {
        lock (gate)
        {
            connections.Remove(connection);
        }
    }

    /// <summary>Closes connections with nothing in flight that have received and sent nothing for <paramref name="idleMs"/>.</summary>
    public void CloseIdle(long nowMs, int idleMs)
    {
        List<TcpConnection>? idle = null;
        lock (gate)
        {
            foreach (TcpConnection connection in connections)
            {
                if (connection.IsIdle && nowMs - connection.LastActivityMs >= idleMs)
                {
                    (idle ??= []).Add(connection);
                }
            }
        }

        if (idle is null)
        {
            return;
        }

        foreach (TcpConnection connection in idle)
        {
            connection.Close(TransportTags.Idle);
        }
    }

    /// <summary>The connections open now (for a stop).</summary>
    public List<TcpConnection> Snapshot()
    {
        lock (gate)
        {
            return [.. connections];
        }
    }

    private TcpConnection? LongestIdle()
    {
        TcpConnection? oldest = null;
        foreach (TcpConnection connection in connections)
        {
            if (connection.IsIdle && (oldest is null || connection.LastActivityMs < oldest.LastActivityMs))
            {
                oldest = connection;
            }
        }

        return oldest;
    }
}
