namespace Resolver.Client.Tests.Fakes;

/// <summary>A clock that moves only when told, for the no-EDNS memory.</summary>
public sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
