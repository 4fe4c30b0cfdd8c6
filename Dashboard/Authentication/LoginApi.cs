using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Observability.Dashboard.Authentication;

/// <summary><c>GET /login?t=TOKEN</c>: exchanges the browser token for an authentication cookie.</summary>
internal static class LoginApi
{
    public static RouteGroupBuilder MapLoginApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/login").AllowAnonymous();
        group.MapGet("/", LoginAsync);
        return group;
    }

    public static async Task<Results<RedirectHttpResult, UnauthorizedHttpResult>> LoginAsync(HttpContext context, BrowserToken token, string? t)
    {
        if (!token.Matches(t))
        {
            return TypedResults.Unauthorized();
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "browser")], CookieAuthenticationDefaults.AuthenticationScheme);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity)).ConfigureAwait(false);
        return TypedResults.Redirect("/api/resources");
    }
}
