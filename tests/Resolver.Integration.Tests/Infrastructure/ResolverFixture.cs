namespace Resolver.Integration.Tests.Infrastructure;

/// <summary>
/// Shared arrangement: one zones folder per fixture (the local test zone, plus whatever
/// <see cref="AddZones"/> puts in), a fresh fake upstream per test, and a resolver started per
/// test with the settings that test needs, so no test sees another's cache.
/// </summary>
public abstract class ResolverFixture
{
    protected ZoneFolder Zones { get; private set; } = null!;

    protected UpstreamZone Upstream { get; private set; } = null!;

    [OneTimeSetUp]
    public void CreateZones()
    {
        Zones = ZoneFolder.Create();
        Zones.Write(TestZones.LocalFileName, TestZones.Local);
        AddZones(Zones);
    }

    [OneTimeTearDown]
    public void DeleteZones() => Zones.Dispose();

    [SetUp]
    public void StartUpstream() => Upstream = UpstreamZone.Start();

    [TearDown]
    public void StopUpstream() => Upstream.Dispose();

    protected virtual void AddZones(ZoneFolder zones)
    {
    }

    protected Task<ResolverUnderTest> StartResolverAsync(params (string Key, string Value)[] settings) =>
        ResolverUnderTest.StartAsync(Zones.Path, Upstream, settings);

    /// <summary>Starts the host with <paramref name="clock"/> as its clock (see <see cref="Resolver.TestKit.Fakes.ManualClock"/>).</summary>
    protected Task<ResolverUnderTest> StartResolverAsync(TimeProvider clock, params (string Key, string Value)[] settings) =>
        ResolverUnderTest.StartOnAsync("127.0.0.1:0", Zones.Path, [Upstream.Address], clock, settings);
}
