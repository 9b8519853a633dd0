using System.Net;
using System.Net.Sockets;

namespace Resolver.Client.Transport;

/// <summary>
/// TCP connect with a deadline in both forms. The async form cancels ConnectAsync at the
/// deadline; the sync form starts a non-blocking connect and polls for writability, the
/// classic connect-with-timeout, so no thread waits on a task.
/// </summary>
internal static class TcpConnector
{
    public static async ValueTask ConnectAsync(Socket socket, IPEndPoint server, TimeSpan timeout, bool useAsync, CancellationToken cancellationToken)
    {
        using var deadline = new AttemptDeadline(timeout, "TCP connect", useAsync, cancellationToken);
        try
        {
            if (useAsync)
                await socket.ConnectAsync(server, deadline.Token);
            else
                ConnectBlocking(socket, server, deadline);
        }
        catch (OperationCanceledException cancelled) when (useAsync)
        {
            throw deadline.Translate(cancelled);
        }
        catch (SocketException error)
        {
            throw new UpstreamException(UpstreamFailureKind.NetworkError, $"TCP connect to {server} failed: {error.SocketErrorCode}", error);
        }
    }

    private static void ConnectBlocking(Socket socket, IPEndPoint server, AttemptDeadline deadline)
    {
        socket.Blocking = false;
        try
        {
            socket.Connect(server);
        }
        catch (SocketException pending) when (pending.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            bool done = socket.Poll(TimeSpan.FromMilliseconds(deadline.RemainingMilliseconds()), SelectMode.SelectWrite);
            var error = (SocketError)(int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
            if (error != SocketError.Success)
                throw new SocketException((int)error);
            if (!done)
                throw deadline.Expired();
        }
        finally
        {
            socket.Blocking = true;
        }
    }
}
