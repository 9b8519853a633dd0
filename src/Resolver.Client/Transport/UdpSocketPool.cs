using System.Collections.Concurrent;
using System.Net;

namespace Resolver.Client.Transport;

/// <summary>
/// Idle UDP sockets per upstream server, lent to one query at a time and replaced after
/// <see cref="UdpSocketReuse.MaxQueries"/> queries or <see cref="UdpSocketReuse.MaxAge"/>
/// (a new socket gets a new random port from the kernel). A socket whose attempt failed in
/// any way (timeout, cancellation, network error) is closed rather than returned, so an old
/// error or a late answer never meets the next query. Blocking and async sockets are kept
/// apart: once a socket has served an async call it is non-blocking underneath.
/// </summary>
internal sealed class UdpSocketPool(UdpSocketReuse reuse, bool connectSockets, TimeProvider? time = null) : IDisposable
{
    /// <summary>Upstream lists are short; beyond this many servers sockets are not kept.</summary>
    private const int MaxServers = 256;

    private readonly ConcurrentDictionary<IPEndPoint, ServerSockets> _servers = new();
    private volatile bool _disposed;

    /// <summary>An idle socket to <paramref name="server"/> that may be used again, or a new one.</summary>
    public PooledUdpSocket Rent(IPEndPoint server, bool useAsync)
    {
        if (reuse.MaxQueries > 1 && !_disposed && FindServer(server) is { } sockets)
        {
            while (sockets.TryTake(useAsync) is { } idle)
            {
                if (IsFresh(idle))
                    return idle;
                idle.Dispose();
            }
        }
        return new PooledUdpSocket(server, connectSockets, useAsync, time);
    }

    /// <summary>Takes a socket back after an attempt; <paramref name="reusable"/> is false when the attempt failed.</summary>
    public void Return(IPEndPoint server, PooledUdpSocket socket, bool reusable)
    {
        if (reusable && !_disposed && IsFresh(socket) && FindServer(server) is { } sockets)
        {
            socket.StopDeadline();
            if (sockets.TryAdd(socket, reuse.MaxIdlePerServer))
            {
                // Dispose may have emptied the pool between the check and the add.
                if (_disposed)
                    sockets.DisposeAll();
                return;
            }
        }
        socket.Dispose();
    }

    private bool IsFresh(PooledUdpSocket socket) => socket.Queries < reuse.MaxQueries && socket.Age < reuse.MaxAge;

    private ServerSockets? FindServer(IPEndPoint server)
    {
        if (_servers.TryGetValue(server, out var sockets))
            return sockets;
        if (_servers.Count >= MaxServers)
            return null;
        // A copy for the key: IPEndPoint is mutable and the caller's may change.
        return _servers.GetOrAdd(new IPEndPoint(server.Address, server.Port), new ServerSockets());
    }

    public void Dispose()
    {
        _disposed = true;
        foreach (var entry in _servers)
            entry.Value.DisposeAll();
    }

    /// <summary>The idle sockets of one server, as two small stacks (blocking, async) under one lock.</summary>
    private sealed class ServerSockets
    {
        private readonly Lock _lock = new();
        private readonly Stack<PooledUdpSocket> _blocking = new();
        private readonly Stack<PooledUdpSocket> _async = new();

        public PooledUdpSocket? TryTake(bool useAsync)
        {
            lock (_lock)
                return (useAsync ? _async : _blocking).TryPop(out var socket) ? socket : null;
        }

        public bool TryAdd(PooledUdpSocket socket, int max)
        {
            lock (_lock)
            {
                var stack = socket.UsesAsync ? _async : _blocking;
                if (stack.Count >= max)
                    return false;
                stack.Push(socket);
                return true;
            }
        }

        public void DisposeAll()
        {
            lock (_lock)
            {
                while (_blocking.TryPop(out var socket))
                    socket.Dispose();
                while (_async.TryPop(out var socket))
                    socket.Dispose();
            }
        }
    }
}
