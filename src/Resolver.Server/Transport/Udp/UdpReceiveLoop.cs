using System.Net.Sockets;
using Resolver.Core.Pipeline;

namespace Resolver.Server.Transport.Udp;

/// <summary>
/// One socket's receive loop, on a thread of its own doing blocking receives and sends. Two parts with one job each:
/// the kernel side (<see cref="BatchedDatagramReceiver"/> with recvmmsg/sendmmsg on 64-bit Linux, else
/// <see cref="SingleDatagramReceiver"/>) and what is done with each datagram (<see cref="UdpDatagramHandler"/>, through
/// the <see cref="QueryDispatcher"/> every transport shares). A query the handler answers synchronously (a cache hit,
/// a local zone) is answered inline: no Task, no thread-pool hop, no per-query object beyond the pooled buffers.
/// </summary>
/// <remarks>
/// Why a thread and blocking calls rather than <c>ReceiveFromAsync</c>: on Linux an async receive that finds the queue
/// empty parks on epoll, and the datagram that arrives then costs two context switches (the epoll thread wakes, then
/// hands the continuation to a pool thread). Measured with dnsperf against one pinned core, that hop halved the
/// cache-hit rate (77k vs 127k+ queries/s, scripts/bench.sh). A blocked <c>recvfrom</c> is woken by the kernel directly.
/// The socket is never used asynchronously: on Unix the first async call would switch it to non-blocking for good
/// and every blocking call after that would be emulated.
/// </remarks>
internal sealed class UdpReceiveLoop(Socket socket, IQueryHandler handler, ListenerContext shared)
{
    /// <summary>The name of a loop's thread, as <c>top -H</c>, <c>perf</c> and /proc/PID/task/TID/comm show it.</summary>
    public const string ThreadName = "resolver-udp";

    /// <summary>A blocked receive wakes at least this often to see whether the server is stopping.</summary>
    public const int StopCheckIntervalMs = 250;

    /// <summary>Starts the loop on a dedicated thread; the task completes when the loop has ended.</summary>
    public Task Start(CancellationToken stopReceiving) =>
        Task.Factory.StartNew(
            () =>
            {
                Thread.CurrentThread.Name = ThreadName;
                Run(stopReceiving);
            },
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public void Run(CancellationToken stopReceiving)
    {
        var dispatcher = new QueryDispatcher(handler, shared, TransportTags.Udp, ClientTransport.Udp);
        using var datagrams = new UdpDatagramHandler(socket, dispatcher, shared);
        if (shared.UdpBatchSize > 1 && LinuxDatagramCalls.IsSupported)
        {
            new BatchedDatagramReceiver(socket, datagrams, shared).Run(stopReceiving);
        }
        else
        {
            new SingleDatagramReceiver(socket, datagrams, shared).Run(stopReceiving);
        }
    }
}
