// The browser's own time zone (an IANA id such as "Europe/Berlin"): a person's times start in it.
window.crmTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || null;
