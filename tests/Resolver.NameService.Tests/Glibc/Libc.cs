using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;

namespace Resolver.NameService.Tests.Glibc;

/// <summary>One getaddrinfo result as both implementations are compared: every field a caller sees.</summary>
internal readonly record struct AddrInfoRow(int Family, int SockType, int Protocol, string Address, int Port, string? CanonicalName)
{
    public override string ToString() => $"{Family}/{SockType}/{Protocol} {Address} port {Port}{(CanonicalName is null ? "" : " canon " + CanonicalName)}";

    public static AddrInfoRow From(AddrInfo e)
    {
        IPAddress a = e.EndPoint.Address;
        string text = InetAddressText.Format(a) + (a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && a.ScopeId != 0 ? "%" + a.ScopeId : "");
        return new((int)e.Family, (int)e.SockType, (int)e.Protocol, text, e.EndPoint.Port, e.CanonicalName);
    }
}

/// <summary>
/// glibc's own getaddrinfo / getnameinfo / gai_strerror through P/Invoke, for Linux x86_64.
/// Before the first call, RES_OPTIONS=attempts:0 is put into the C environment, so that if glibc
/// ever wanted DNS for a case here its resolver would send nothing (res_send makes zero tries).
/// </summary>
internal static unsafe partial class Libc
{
    /// <summary>struct addrinfo on x86_64 Linux (socklen_t is 32 bits; the pointers are 8-aligned).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct NativeAddrInfo
    {
        public int Flags;
        public int Family;
        public int SockType;
        public int Protocol;
        public uint AddrLen;
        public byte* Addr;
        public byte* CanonName;
        public NativeAddrInfo* Next;
    }

    private const int AfInet = 2, AfInet6 = 10;

    static Libc()
    {
        // .NET keeps its own copy of the environment; glibc reads the C one (getenv at resolver load).
        if (OperatingSystem.IsLinux() && SetEnv("RES_OPTIONS", "attempts:0", 1) != 0)
            throw new InvalidOperationException("setenv failed");
    }

    public static bool IsSupported =>
        OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64 && IsGlibc();

    private static bool IsGlibc()
    {
        try { return Marshal.PtrToStringUTF8(GnuGetLibcVersion()) is { Length: > 0 }; }
        catch (EntryPointNotFoundException) { return false; } // musl
        catch (DllNotFoundException) { return false; }
    }

    public static (int Error, List<AddrInfoRow> Rows) GetAddrInfo(string? node, string? service, int flags, int family, int sockType, int protocol)
    {
        var hints = new NativeAddrInfo { Flags = flags, Family = family, SockType = sockType, Protocol = protocol };
        NativeAddrInfo* result = null;
        int error = NativeGetAddrInfo(node, service, &hints, &result);
        var rows = new List<AddrInfoRow>();
        try
        {
            for (NativeAddrInfo* p = result; error == 0 && p != null; p = p->Next)
            {
                (string address, int port) = ReadSockAddr(p->Addr);
                string? canon = p->CanonName == null ? null : Marshal.PtrToStringUTF8((IntPtr)p->CanonName);
                rows.Add(new AddrInfoRow(p->Family, p->SockType, p->Protocol, address, port, canon));
            }
        }
        finally
        {
            if (error == 0 && result != null) FreeAddrInfo(result);
        }
        return (error, rows);
    }

    /// <summary>getnameinfo with host and service buffers (NI_MAXHOST, NI_MAXSERV).</summary>
    public static (int Error, string? Host, string? Service) GetNameInfo(IPEndPoint endPoint, int flags)
    {
        byte* sa = stackalloc byte[28];
        new Span<byte>(sa, 28).Clear();
        uint length;
        BinaryPrimitives.WriteUInt16BigEndian(new Span<byte>(sa + 2, 2), (ushort)endPoint.Port);
        if (endPoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            *(ushort*)sa = AfInet;
            endPoint.Address.TryWriteBytes(new Span<byte>(sa + 4, 4), out _);
            length = 16;
        }
        else
        {
            *(ushort*)sa = AfInet6;
            endPoint.Address.TryWriteBytes(new Span<byte>(sa + 8, 16), out _);
            *(uint*)(sa + 24) = (uint)endPoint.Address.ScopeId;
            length = 28;
        }
        byte* host = stackalloc byte[1025];
        byte* serv = stackalloc byte[32];
        int error = NativeGetNameInfo(sa, length, host, 1025, serv, 32, flags);
        return error != 0 ? (error, null, null)
            : (0, Marshal.PtrToStringUTF8((IntPtr)host), Marshal.PtrToStringUTF8((IntPtr)serv));
    }

    public static string GaiStrError(int code) => Marshal.PtrToStringUTF8(NativeGaiStrError(code)) ?? "";

    private static (string Address, int Port) ReadSockAddr(byte* sa)
    {
        ushort family = *(ushort*)sa;
        int port = BinaryPrimitives.ReadUInt16BigEndian(new ReadOnlySpan<byte>(sa + 2, 2));
        if (family == AfInet) return (InetAddressText.Format(new IPAddress(new ReadOnlySpan<byte>(sa + 4, 4))), port);
        var address = new IPAddress(new ReadOnlySpan<byte>(sa + 8, 16));
        uint scope = *(uint*)(sa + 24);
        return (InetAddressText.Format(address) + (scope != 0 ? "%" + scope : ""), port);
    }

    [LibraryImport("libc", EntryPoint = "getaddrinfo", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int NativeGetAddrInfo(string? node, string? service, NativeAddrInfo* hints, NativeAddrInfo** result);

    [LibraryImport("libc", EntryPoint = "freeaddrinfo")]
    private static partial void FreeAddrInfo(NativeAddrInfo* result);

    [LibraryImport("libc", EntryPoint = "getnameinfo")]
    private static partial int NativeGetNameInfo(byte* sa, uint saLength, byte* host, uint hostLength, byte* serv, uint servLength, int flags);

    [LibraryImport("libc", EntryPoint = "gai_strerror")]
    private static partial IntPtr NativeGaiStrError(int code);

    [LibraryImport("libc", EntryPoint = "gnu_get_libc_version")]
    private static partial IntPtr GnuGetLibcVersion();

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
