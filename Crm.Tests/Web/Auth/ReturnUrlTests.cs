using Crm.Web.Auth;

namespace Crm.Tests.Web.Auth;

/// <summary>Where sign-in may send people back to: this app's own pages, nothing a browser would read as another site.</summary>
public class ReturnUrlTests
{
    [Theory]
    [InlineData("/", "/")]
    [InlineData("/contacts/42?tab=history", "/contacts/42?tab=history")]
    [InlineData("/deals#board", "/deals#board")]
    [InlineData("/%09/evil.example", "/%09/evil.example")] // still encoded: a path, not a tab
    [InlineData("/\t/evil.example", "/")]
    [InlineData("/\n/evil.example", "/")]
    [InlineData("/contacts\r\nSet-Cookie: x=1", "/")]
    [InlineData("//evil.example", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("evil.example", "/")]
    [InlineData("~/contacts", "/")]
    [InlineData("", "/")]
    [InlineData(null, "/")]
    public void LocalOrHome_FollowsOnlyThisAppsPaths(string? returnUrl, string expected) =>
        Assert.Equal(expected, AccountEndpoints.LocalOrHome(returnUrl));
}
