"""Saved simulator runs: a user's parameters and the key numbers they gave.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 19:42:55.328418

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('saved_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_saved_runs_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_runs'))
    )
    with op.batch_alter_table('saved_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_runs_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('saved_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_runs_user_id'))

    op.drop_table('saved_runs')
