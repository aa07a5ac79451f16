using Crm.Core.Common;
using Crm.Core.Contacts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Crm.Core.Duplicates;

/// <summary>Field names as people read them ("FirstName" → "First name").</summary>
public static class FieldLabels
{
    public static string Of(string field) => field switch
    {
        "AccountId" => "Account",
        "OwnerId" => "Owner",
        "LinkedInUrl" => "LinkedIn URL",
        "AdditionalEmails" => "Other emails",
        _ => System.Text.RegularExpressions.Regex.Replace(field, "(?<=[a-z])([A-Z])", " $1") switch { var s => s[0] + s[1..].ToLowerInvariant() },
    };
}
