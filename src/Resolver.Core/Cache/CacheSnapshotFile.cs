using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Resolver.Core.Cache;

/// <summary>How a snapshot load went: entries put back, dropped as expired, dropped as not sane.</summary>
public readonly record struct SnapshotLoadResult(int Imported, int Expired, int Rejected);

/// <summary>
/// The cache written to a file on a clean stop and read back at start (Resolver:Cache:SnapshotFile), so a restart
/// does not send every popular name upstream at once. Layout, big-endian:
/// <code>
/// "RSLVSNAP" | u16 version (1) | i64 written at (Unix ms) | u32 entry count
/// entries (<see cref="PortableCacheEntryFormat"/>) | u64 XxHash64 of everything before it
/// </code>
/// Written to a temporary file beside the target, flushed to disk, then renamed over it, so a crash mid-write leaves
/// the previous snapshot (or none), never half of one. A file that is not exactly this is refused as a whole
/// (<see cref="InvalidDataException"/>); the caller logs it and starts cold.
/// </summary>
public static class CacheSnapshotFile
{
    public const ushort Version = 1;

    /// <summary>Files larger than this are not read (a snapshot of a 128 MiB cache is well under it).</summary>
    public const long MaxFileLength = 1L << 30;

    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("RSLVSNAP");
    private const int HeaderLength = 8 + 2 + 8 + 4;
    private const int TrailerLength = 8;

    /// <summary>Writes every exportable entry of <paramref name="cache"/> to <paramref name="path"/> atomically. Returns how many.</summary>
    public static int Save(ResponseCache cache, string path, TimeProvider? time = null)
    {
        var entries = cache.Export();
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temporary = full + ".tmp-" + Environment.ProcessId;
        try
        {
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                Write(entries, file, (time ?? TimeProvider.System).GetUtcNow());
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
        return entries.Count;
    }

    /// <summary>
    /// Reads <paramref name="path"/> into <paramref name="cache"/>. Throws <see cref="InvalidDataException"/> (nothing
    /// imported) when the file is not a whole snapshot of this version, <see cref="IOException"/> when it cannot be read.
    /// </summary>
    public static SnapshotLoadResult Load(ResponseCache cache, string path)
    {
        var info = new FileInfo(path);
        if (info.Length > MaxFileLength)
            throw new InvalidDataException($"{info.Length} octets, more than a snapshot may have ({MaxFileLength})");
        return Read(cache, File.ReadAllBytes(path));
    }

    /// <summary>The snapshot bytes of <paramref name="entries"/>, written to <paramref name="output"/>.</summary>
    public static void Write(IReadOnlyList<PortableCacheEntry> entries, Stream output, DateTimeOffset writtenAt)
    {
        var hash = new XxHash64();
        Span<byte> header = stackalloc byte[HeaderLength];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16BigEndian(header[8..], Version);
        BinaryPrimitives.WriteInt64BigEndian(header[10..], writtenAt.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteUInt32BigEndian(header[18..], (uint)entries.Count);
        hash.Append(header);
        output.Write(header);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ushort.MaxValue + 512);
        try
        {
            foreach (var entry in entries)
            {
                int length = PortableCacheEntryFormat.Write(entry, buffer);
                hash.Append(buffer.AsSpan(0, length));
                output.Write(buffer, 0, length);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        Span<byte> trailer = stackalloc byte[TrailerLength];
        BinaryPrimitives.WriteUInt64BigEndian(trailer, hash.GetCurrentHashAsUInt64());
        output.Write(trailer);
    }

    /// <summary>Checks the whole of <paramref name="snapshot"/> first, then imports its entries.</summary>
    public static SnapshotLoadResult Read(ResponseCache cache, ReadOnlySpan<byte> snapshot)
    {
        if (snapshot.Length < HeaderLength + TrailerLength || !snapshot[..8].SequenceEqual(Magic))
            throw new InvalidDataException("not a Resolver cache snapshot (no RSLVSNAP header)");
        ushort version = BinaryPrimitives.ReadUInt16BigEndian(snapshot[8..]);
        if (version != Version)
            throw new InvalidDataException($"snapshot format version {version}, this build reads {Version}");
        var body = snapshot[..^TrailerLength];
        if (XxHash64.HashToUInt64(body) != BinaryPrimitives.ReadUInt64BigEndian(snapshot[^TrailerLength..]))
            throw new InvalidDataException("snapshot checksum does not match (truncated or damaged file)");
        uint count = BinaryPrimitives.ReadUInt32BigEndian(snapshot[18..]);
        var entries = new List<PortableCacheEntry>((int)Math.Min(count, 1_000_000));
        int position = HeaderLength;
        for (uint i = 0; i < count; i++)
        {
            if (!PortableCacheEntryFormat.TryRead(body[position..], out var entry, out int consumed, out string? error))
                throw new InvalidDataException($"snapshot entry {i}: {error}");
            entries.Add(entry!);
            position += consumed;
        }
        if (position != body.Length)
            throw new InvalidDataException("snapshot has octets after its last entry");
        int imported = 0, expired = 0, rejected = 0;
        foreach (var entry in entries)
        {
            switch (cache.Import(entry))
            {
                case ImportOutcome.Imported: imported++; break;
                case ImportOutcome.Expired: expired++; break;
                default: rejected++; break;
            }
        }
        return new SnapshotLoadResult(imported, expired, rejected);
    }
}
