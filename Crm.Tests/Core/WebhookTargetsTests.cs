using System.Net;
using Crm.Core.Webhooks;

namespace Crm.Tests.Core;

public class WebhookTargetsTests
{
    private static readonly IReadOnlySet<string> NoneAllowed = new HashSet<string>();

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("10.0.0.5")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.20")]
    [InlineData("169.254.169.254")] // cloud metadata
    [InlineData("100.64.0.1")]      // carrier-grade NAT
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fd00:ec2::254")]   // AWS metadata over IPv6
    [InlineData("fc00::1")]
    [InlineData("::ffff:127.0.0.1")] // IPv4-mapped loopback
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::ffff:10.1.2.3")]
    [InlineData("64:ff9b::a00:1")]   // NAT64 of 10.0.0.1
    [InlineData("2002:0a00:0001::1")] // 6to4 of 10.0.0.1
    [InlineData("2001:db8::1")]
    public void IsPublic_ForAPrivateLoopbackLinkLocalOrReservedAddress_IsFalse(string address) =>
        Assert.False(WebhookTargets.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:93.184.216.34")]
    [InlineData("64:ff9b::5db8:d822")] // NAT64 of 93.184.216.34
    public void IsPublic_ForAnInternetAddress_IsTrue(string address) =>
        Assert.True(WebhookTargets.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("http://hooks.example.com/in", "https")]
    [InlineData("ftp://hooks.example.com/in", "https")]
    [InlineData("https://user:pass@hooks.example.com/in", "user name or password")]
    [InlineData("https://127.0.0.1/in", "private, loopback")]
    [InlineData("https://[::1]/in", "private, loopback")]
    [InlineData("https://[::ffff:7f00:1]/in", "private, loopback")]
    [InlineData("https://169.254.169.254/latest/meta-data", "private, loopback")]
    [InlineData("https://localhost/in", "this machine")]
    [InlineData("not a url", "not a valid")]
    [InlineData("", "Enter the URL")]
    public void Problem_ForAUrlThatMayNotBeUsed_SaysWhy(string url, string expected) =>
        Assert.Contains(expected, WebhookTargets.Problem(url, NoneAllowed));

    [Fact]
    public void Problem_ForAnHttpsUrlOnAName_IsNone_AndPlainHttpOnlyToAnAllowedHost()
    {
        Assert.Null(WebhookTargets.Problem("https://hooks.example.com/crm?x=1", NoneAllowed));
        Assert.NotNull(WebhookTargets.Problem("http://receiver.internal:8080/in", NoneAllowed));
        Assert.Null(WebhookTargets.Problem("http://receiver.internal:8080/in", new HashSet<string>(["receiver.internal"])));
    }
}
