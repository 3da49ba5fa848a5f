extension Interpreter {
    /// matplotlib.pyplot's functions (3.11) that dlx does not provide: each is a NotImplementedError naming
    /// itself, so that code using one stops with a clear message rather than an AttributeError.
    static let pyplotNotProvided: [String] = [
        "acorr", "angle_spectrum", "annotate", "arrow", "autoscale", "autumn", "axes", "axhline", "axhspan", "axline", "axvline", "axvspan",
        "bar_label", "barbs", "barh", "bone", "box", "boxplot", "broken_barh", "clabel", "clim", "cohere", "colorbar", "connect", "contour",
        "contourf", "cool", "copper", "csd", "delaxes", "disconnect", "draw", "draw_if_interactive", "ecdf", "errorbar", "eventplot",
        "figimage", "figlegend", "fignum_exists", "figtext", "fill", "fill_between", "fill_betweenx", "findobj", "flag", "gci", "get",
        "get_cmap", "get_current_fig_manager", "get_figlabels", "get_plot_commands", "getp", "ginput", "gray", "grouped_bar", "hexbin",
        "hist2d", "hlines", "hot", "hsv", "imread", "imsave", "inferno", "install_repl_displayhook", "ioff", "ion", "isinteractive", "jet",
        "locator_params", "loglog", "magma", "magnitude_spectrum", "margins", "matshow", "minorticks_off", "minorticks_on",
        "new_figure_manager", "nipy_spectral", "pause", "pcolor", "pcolormesh", "phase_spectrum", "pie", "pie_label", "pink", "plasma",
        "polar", "prism", "psd", "quiver", "quiverkey", "rc", "rc_context", "rcdefaults", "rgrids", "sca", "sci", "semilogx", "semilogy",
        "set_cmap", "set_loglevel", "setp", "specgram", "spring", "spy", "stackplot", "stairs", "stem", "step", "streamplot",
        "subplot2grid", "subplot_mosaic", "subplot_tool", "summer", "switch_backend", "table", "text", "thetagrids", "tick_params",
        "ticklabel_format", "tricontour", "tricontourf", "tripcolor", "triplot", "twinx", "twiny", "uninstall_repl_displayhook",
        "violinplot", "viridis", "vlines", "waitforbuttonpress", "winter", "xcorr", "xkcd", "xscale", "yscale"
    ]
}
