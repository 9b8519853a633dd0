using System.Runtime.InteropServices;

namespace Resolver.Server.Transport.Udp;

/// <summary>
/// recvmmsg(2) and sendmmsg(2): many datagrams per system call. .NET's Socket has no batch receive or send; on a
/// busy resolver the per-call cost (entry, socket lookup, the P/Invoke) is a fair share of a cache hit's CPU.
/// Layouts are those of glibc and musl on 64-bit Linux (x64, arm64); <see cref="IsSupported"/> says when they apply.
/// </summary>
internal static unsafe partial class LinuxDatagramCalls
{
    /// <summary>recvmmsg: block for the first datagram only, then take what is already queued.</summary>
    public const int MsgWaitForOne = 0x10000;

    /// <summary>Do not block: EAGAIN when nothing is queued.</summary>
    public const int MsgDontWait = 0x40;

    /// <summary>msg_flags: the datagram was longer than the buffer and was cut.</summary>
    public const int MsgTruncated = 0x20;

    public const int ErrorInterrupted = 4; // EINTR
    public const int ErrorWouldBlock = 11; // EAGAIN: SO_RCVTIMEO passed with nothing received
    public const int ErrorBadDescriptor = 9; // EBADF
    public const int ErrorInvalidArgument = 22; // EINVAL
    public const int ErrorNotSocket = 88; // ENOTSOCK
    public const int ErrorMessageSize = 90; // EMSGSIZE
    public const int ErrorNetworkUnreachable = 101; // ENETUNREACH
    public const int ErrorConnectionReset = 104; // ECONNRESET
    public const int ErrorTimedOut = 110; // ETIMEDOUT
    public const int ErrorConnectionRefused = 111; // ECONNREFUSED (ICMP port unreachable from an earlier send)
    public const int ErrorHostUnreachable = 113; // EHOSTUNREACH

    public static bool IsSupported =>
        OperatingSystem.IsLinux() && Environment.Is64BitProcess && sizeof(MessageHeader) == 56 && sizeof(MultiMessageHeader) == 64;

    [LibraryImport("libc", EntryPoint = "recvmmsg", SetLastError = true)]
    public static partial int ReceiveMany(int socket, MultiMessageHeader* messages, uint count, int flags, void* timeout);

    [LibraryImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    public static partial int SendMany(int socket, MultiMessageHeader* messages, uint count, int flags);

    /// <summary>struct iovec.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IoVector
    {
        public byte* Base;
        public nuint Length;
    }

    /// <summary>struct msghdr.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MessageHeader
    {
        public byte* Name;
        public uint NameLength;
        public IoVector* Vectors;
        public nuint VectorCount;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    /// <summary>struct mmsghdr: a message header and the length the call received or sent.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MultiMessageHeader
    {
        public MessageHeader Header;
        public uint Length;
    }
}
