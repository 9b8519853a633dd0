using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using static Resolver.Server.Transport.Udp.LinuxDatagramCalls;

namespace Resolver.Server.Transport.Udp;

/// <summary>
/// The kernel side of a receive loop on 64-bit Linux: recvmmsg takes every datagram already waiting (blocking only
/// for the first), each is handled in turn, and the answers given inline go out together with one sendmmsg. Under
/// load that is one pair of system calls per batch instead of per query; a quiet server still answers each query as
/// it comes, since a batch is never waited for.
/// </summary>
internal sealed class BatchedDatagramReceiver(Socket socket, UdpDatagramHandler datagrams, ListenerContext shared)
{
    private const int LargestDatagram = 65535;

    private readonly IPEndPoint local = (IPEndPoint)socket.LocalEndPoint!;

    public void Run(CancellationToken stopReceiving)
    {
        // One byte past the largest datagram accepted, so an oversized one is seen (and dropped) rather than cut.
        int slotLength = Math.Min(shared.MaxDatagramSize + 1, LargestDatagram + 1);
        using var batch = new DatagramBatch(shared.UdpBatchSize, slotLength, shared.UdpResponseCapacity);
        var answered = new IPEndPoint[shared.UdpBatchSize];
        var clients = new ClientEndpointCache(socket.AddressFamily);
        var busyPoll = new BusyPollWindow(shared.UdpBusyPollMicroseconds);
        try
        {
            socket.ReceiveTimeout = UdpReceiveLoop.StopCheckIntervalMs;
            while (!stopReceiving.IsCancellationRequested)
            {
                int count = ReceiveNext(batch, busyPoll, out int error);
                if (count < 0)
                {
                    if (UdpReceiveErrors.EndsLoop(UdpReceiveErrors.FromErrno(error), local, shared.Logger))
                    {
                        return;
                    }

                    continue;
                }

                for (int slot = 0; slot < count; slot++)
                {
                    IPEndPoint endpoint = clients.Get(batch.Sender(slot));
                    int length = datagrams.Handle(batch.Datagram(slot), batch.IsCut(slot), endpoint, batch.Sender(slot));
                    if (length > 0)
                    {
                        // Left in flight until it is sent, so a stop's drain waits for it.
                        answered[batch.Queued] = endpoint;
                        batch.Queue(slot, datagrams.Response(length));
                    }
                }

                SendQueued(batch, answered);
            }
        }
        catch (ObjectDisposedException)
        {
            // The socket was closed under the loop: the server is stopping.
        }
    }

    /// <summary>
    /// Waits for the next datagrams: polls first while queries come fast (<see cref="BusyPollWindow"/>),
    /// then blocks. A poll that finds nothing yields the processor before it tries again, so a thread finishing a
    /// cache miss on the same core is not kept waiting by it; a poll that finds another thread took the core for
    /// long gives way to it and sleeps, since a sleeping loop is woken ahead of such a thread.
    /// </summary>
    private int ReceiveNext(DatagramBatch batch, BusyPollWindow busyPoll, out int error)
    {
        long idleSince = Stopwatch.GetTimestamp();
        bool polled = busyPoll.ShouldPoll(idleSince);
        bool gaveWay = false;
        if (polled)
        {
            long pollUntil = idleSince + busyPoll.WindowTicks;
            long attempted = idleSince;
            long now;
            do
            {
                int count = batch.Receive(socket, wait: false, out error);
                now = Stopwatch.GetTimestamp();
                gaveWay = busyPoll.GaveWay(attempted, now);
                attempted = now;
                if (count > 0)
                {
                    busyPoll.Waited(now - idleSince, count);
                    shared.Metrics.ReceiveWaited(TransportTags.Polled);
                    return count;
                }

                if (error != ErrorWouldBlock)
                {
                    return count;
                }

                if (gaveWay)
                {
                    break;
                }

                Thread.Yield();
            }
            while (now < pollUntil);
        }

        // A receive timeout (nothing for StopCheckIntervalMs) is a long wait too.
        int received = batch.Receive(socket, wait: true, out error);
        busyPoll.Waited(Stopwatch.GetTimestamp() - idleSince, Math.Max(received, 0));
        if (received > 0 || error == ErrorWouldBlock)
        {
            shared.Metrics.ReceiveWaited(gaveWay ? TransportTags.GaveWay : polled ? TransportTags.SleptAfterPoll : TransportTags.Slept);
        }

        return received;
    }

    private void SendQueued(DatagramBatch batch, IPEndPoint[] answered)
    {
        int queued = batch.Queued;
        if (queued == 0)
        {
            return;
        }

        bool sendFailed = true;
        try
        {
            batch.Send(socket);
            sendFailed = false;
        }
        finally
        {
            // Every queued query is over now, sent or not (a closed socket throws: the loop then ends).
            for (int i = 0; i < queued; i++)
            {
                datagrams.Sent(batch.Answer(i), sendFailed || batch.Failed(i), answered[i]);
                answered[i] = null!;
            }

            batch.ClearQueue();
        }
    }
}
