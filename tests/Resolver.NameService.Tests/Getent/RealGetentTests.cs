using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;

namespace Resolver.NameService.Tests.Getent;

/// <summary>
/// <see cref="GetentPrinter"/> against the real getent, byte for byte. getent runs in a fresh
/// network namespace (<c>unshare -n</c>, loopback up): whatever DNS it attempts for a hosts-file
/// miss (glibc asks IPv6 first for "getent hosts NAME") cannot leave the machine and fails at
/// once. Our side is given the same world: the system's hosts and services files, no
/// non-loopback interface (AI_ADDRCONFIG), and a DNS that cannot be reached.
/// </summary>
[Category("GlibcInterop")]
[NonParallelizable]
public class RealGetentTests
{
    private static readonly Lazy<string?> Unavailable = new(WhyUnavailable);

    private UnreachableDns _dns = null!;
    private GetentPrinter _printer = null!;

    [SetUp]
    public void SetUp()
    {
        if (Unavailable.Value is string why) Assert.Ignore(why);
        _dns = new UnreachableDns();
        NameServiceSources sources = NameServiceSources.FromSystem(_dns, _dns) with
        {
            InterfaceFamilies = new FakeInterfaces(hasIPv4: false, hasIPv6: false),
            SourceAddressFor = d => IPAddress.IsLoopback(d) ? d : null,
        };
        _printer = new GetentPrinter(sources);
    }

    /// <summary>Names in this machine's hosts file (read at run time: the tests follow the machine).</summary>
    private static IEnumerable<string> HostsFileNames()
    {
        var names = new List<string>();
        foreach (HostsEntry e in HostsFile.Load("/etc/hosts").Entries)
        {
            names.Add(e.CanonicalName);
            names.AddRange(e.Aliases);
        }
        return names.Distinct().Take(6);
    }

    private static readonly string[] Literals =
        ["127.0.0.1", "127.1", "1.2.3", "0x7f.1", "::1", "::ffff:127.0.0.1", "fe80::1%lo", "fe80::1%1", "fe80::12:34%lo", "1.2.3.4.5", "256.1"];

    private static IEnumerable<string> Keys() => HostsFileNames().Concat(Literals).Append("nosuch.invalid");

    [Test]
    public void Each_key_prints_what_getent_prints([Values("hosts", "ahosts", "ahostsv4", "ahostsv6")] string database)
    {
        GetentPrinter.TryParseDatabase(database, out GetentDatabase db);
        var failures = new List<string>();
        foreach (string key in Keys())
        {
            (string text, int status) = RunGetent(database, key);
            GetentOutput ours = _printer.Print(db, [key]);
            if (ours.Text != text || ours.ExitCode != status)
                failures.Add($"getent {database} {key}:\n glibc ({status}):\n{text}\n ours ({ours.ExitCode}):\n{ours.Text}");
        }
        Assert.That(failures, Is.Empty, string.Join("\n", failures));
    }

    [Test]
    public void Several_keys_print_in_order_and_one_miss_makes_status_2([Values("hosts", "ahosts")] string database)
    {
        GetentPrinter.TryParseDatabase(database, out GetentDatabase db);
        string[] keys = [.. HostsFileNames().Take(2), "nosuch.invalid", "127.1"];
        (string text, int status) = RunGetent(database, keys);
        GetentOutput ours = _printer.Print(db, keys);
        Assert.That((ours.Text, ours.ExitCode), Is.EqualTo((text, status)));
        Assert.That(status, Is.EqualTo(2));
    }

    [Test]
    public void No_keys_enumerates_the_hosts_file_like_getent()
    {
        (string text, int status) = RunGetent("hosts");
        GetentOutput ours = _printer.Print(GetentDatabase.Hosts, []);
        Assert.That((ours.Text, ours.ExitCode), Is.EqualTo((text, status)));
    }

    private static (string Text, int Status) RunGetent(string database, params string[] keys)
    {
        var psi = new ProcessStartInfo("unshare") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in (string[])["-n", "sh", "-c", "ip link set lo up 2>/dev/null; exec getent \"$@\"", "sh", database, .. keys])
            psi.ArgumentList.Add(arg);
        using Process process = Process.Start(psi)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(20_000))
        {
            process.Kill();
            Assert.Fail($"getent {database} {string.Join(' ', keys)} did not finish");
        }
        process.WaitForExit();
        return (stdout.Result, process.ExitCode);
    }

    private static string? WhyUnavailable()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
            return "real getent comparisons need Linux x86_64 with glibc";
        if (!File.Exists("/usr/bin/getent") && !File.Exists("/bin/getent")) return "getent is not installed";
        try
        {
            var psi = new ProcessStartInfo("unshare", "-n true") { RedirectStandardError = true };
            using Process p = Process.Start(psi)!;
            p.WaitForExit(10_000);
            return p.ExitCode == 0 ? null : "unshare -n is not permitted here (getent could reach the configured DNS servers)";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unshare is not installed";
        }
    }

    /// <summary>DNS as it is inside the namespace: every question fails at once, no server reachable.</summary>
    private sealed class UnreachableDns : IDnsHostLookup, IDnsReverseLookup
    {
        public DnsHostAnswer Lookup(string absoluteName, DnsQueryType type) => DnsHostAnswer.Of(DnsLookupOutcome.TryAgain);

        public ValueTask<DnsHostAnswer> LookupAsync(string absoluteName, DnsQueryType type, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Lookup(absoluteName, type));

        public DnsReverseAnswer Lookup(IPAddress address) => DnsReverseAnswer.Of(DnsLookupOutcome.TryAgain);

        public ValueTask<DnsReverseAnswer> LookupAsync(IPAddress address, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Lookup(address));
    }
}
