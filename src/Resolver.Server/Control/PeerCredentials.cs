using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Resolver.Server.Control;

/// <summary>Who is at the other end of a Unix socket (SO_PEERCRED), and who we are (geteuid). Linux only.</summary>
internal static partial class PeerCredentials
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>The peer's effective user ID as the kernel recorded it at connect, or null where it cannot be read.</summary>
    public static uint? UserOf(Socket connection)
    {
        if (!OperatingSystem.IsLinux())
            return null;
        // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
        Span<byte> credentials = stackalloc byte[12];
        int length = connection.GetRawSocketOption(SolSocket, SoPeerCred, credentials);
        return length >= 8 ? BinaryPrimitives.ReadUInt32LittleEndian(credentials[4..]) : null;
    }

    public static uint EffectiveUser() => geteuid();

    [LibraryImport("libc")]
    private static partial uint geteuid();
}
