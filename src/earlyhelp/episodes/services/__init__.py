"""Every write to an episode. Split by stage so each module stays readable:

core (opening, children, lead professional, closure), assessment, plan (TAF meetings,
outcomes and actions, reviews), stepping (step up and step down). The state of an episode
only changes through episodes.transitions.episode_transition.
"""
