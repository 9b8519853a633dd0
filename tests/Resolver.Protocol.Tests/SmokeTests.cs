namespace Resolver.Protocol.Tests;
public class SmokeTests { [Test] public void Builds() => Assert.Pass(); }
